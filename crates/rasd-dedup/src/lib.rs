//! Exact and near-duplicate detection for rasd: matching-key hashes, MinHash and LSH with exact Jaccard verification.
