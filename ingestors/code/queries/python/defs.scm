; Definitions. @def.<kind> on the node, @name on its name. Functions in classes become methods in Rust code.
(function_definition name: (identifier) @name) @def.function
(class_definition name: (identifier) @name) @def.class
(module (expression_statement (assignment left: (identifier) @name right: (_)) @def.const) (#match? @name "^[A-Z][A-Z0-9_]*$"))
