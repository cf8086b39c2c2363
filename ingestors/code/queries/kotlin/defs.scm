; Definitions. @def.<kind> on the node, @name on its name; interface/enum/data flavours are read in Rust code.
(class_declaration name: (identifier) @name) @def.class
(object_declaration name: (identifier) @name) @def.class
(function_declaration name: (identifier) @name) @def.function
(type_alias type: (identifier) @name) @def.type
(source_file (property_declaration (modifiers (property_modifier) @_m) (variable_declaration (identifier) @name)) @def.const (#eq? @_m "const"))
