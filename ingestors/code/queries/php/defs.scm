; Definitions. @def.<kind> on the node, @name on its name. Namespaces are module
; provides (src/langs/php.rs), not symbols: `namespace X;` has no body to contain.
(class_declaration name: (name) @name) @def.class
(interface_declaration name: (name) @name) @def.interface
(trait_declaration name: (name) @name) @def.trait
(enum_declaration name: (name) @name) @def.enum
(function_definition name: (name) @name) @def.function
(method_declaration name: (name) @name) @def.method
(program (const_declaration (const_element (name) @name)) @def.const)
