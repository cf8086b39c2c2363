//! Durable store (sled) and full-text index (tantivy) behind a narrow trait.
