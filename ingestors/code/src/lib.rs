//! Code ingestor (tree-sitter): symbols, imports, calls, tests, data shapes, routes, clients, packages.
