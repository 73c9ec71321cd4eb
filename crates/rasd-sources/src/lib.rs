//! Inputs for rasd: files, folders, stdin, gzip, WARC/WET archives and JSON Lines, decoded to Unicode pages.
