; References: calls (`f()`, `obj.f()`, `ptr->f()`, `A::f()`, templates, `new T()`),
; member reads (`obj.x`, `ptr->x`), keyed reads (`j["key"]`), string bindings.
(call_expression function: (identifier) @callee arguments: (argument_list) @args) @call
(call_expression function: (template_function name: (identifier) @callee) arguments: (argument_list) @args) @call
(call_expression function: (field_expression argument: (_) @receiver field: (field_identifier) @callee) arguments: (argument_list) @args) @call
(call_expression function: (field_expression argument: (_) @receiver field: (template_method name: (field_identifier) @callee)) arguments: (argument_list) @args) @call
(call_expression function: (qualified_identifier scope: (_) @receiver name: (identifier) @callee) arguments: (argument_list) @args) @call
(call_expression function: (qualified_identifier scope: (_) @receiver name: (template_function name: (identifier) @callee)) arguments: (argument_list) @args) @call
(call_expression function: (qualified_identifier name: (qualified_identifier scope: (_) @receiver name: (identifier) @callee)) arguments: (argument_list) @args) @call
(call_expression function: (qualified_identifier name: (qualified_identifier scope: (_) @receiver name: (template_function name: (identifier) @callee))) arguments: (argument_list) @args) @call
(call_expression function: (qualified_identifier name: (qualified_identifier name: (qualified_identifier scope: (_) @receiver name: (identifier) @callee))) arguments: (argument_list) @args) @call
(new_expression type: (_) @callee arguments: (argument_list) @args) @call
(field_expression argument: (_) @receiver field: (field_identifier) @field) @member
(subscript_expression argument: (_) @receiver indices: (subscript_argument_list . (string_literal) @key .)) @index
(init_declarator declarator: (identifier) @const.name value: (_) @const.value) @const
(init_declarator declarator: (pointer_declarator declarator: (identifier) @const.name) value: (_) @const.value) @const
(init_declarator declarator: (array_declarator declarator: (identifier) @const.name) value: (_) @const.value) @const
