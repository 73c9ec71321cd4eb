//! Story and topic clustering for rasd: online TF-IDF event clustering, pairwise similarity, threading over time.
