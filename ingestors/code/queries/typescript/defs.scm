; Definitions. @def.<kind> on the node, @name on its name.
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(class_declaration name: (type_identifier) @name) @def.class
(abstract_class_declaration name: (type_identifier) @name) @def.class
(interface_declaration name: (type_identifier) @name) @def.interface
(type_alias_declaration name: (type_identifier) @name) @def.type
(enum_declaration name: (identifier) @name) @def.enum
(internal_module name: (identifier) @name) @def.module
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @def.method
(abstract_method_signature name: (property_identifier) @name) @def.method
(public_field_definition name: (property_identifier) @name value: [(arrow_function) (function_expression)]) @def.method
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @def.function
(program (lexical_declaration "const" (variable_declarator name: (identifier) @name value: [(string) (template_string) (number) (object) (array) (call_expression) (new_expression)])) @def.const)
(program (export_statement (lexical_declaration "const" (variable_declarator name: (identifier) @name value: [(string) (template_string) (number) (object) (array) (call_expression) (new_expression)])) @def.const))
(pair key: [(property_identifier) (string)] @name value: [(arrow_function) (function_expression)]) @def.function
(assignment_expression left: (member_expression property: (property_identifier) @name) right: [(arrow_function) (function_expression) (class)]) @def.function
