//! Ingestor for repos and files: every text file becomes a searchable File node.
