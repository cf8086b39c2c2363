; References: calls, member reads, keyed reads, string constants.
(invocation_expression function: (identifier) @callee arguments: (argument_list) @args) @call
(invocation_expression function: (generic_name (identifier) @callee) arguments: (argument_list) @args) @call
(invocation_expression function: (member_access_expression expression: (_) @receiver name: [(identifier) @callee (generic_name (identifier) @callee)]) arguments: (argument_list) @args) @call
(object_creation_expression type: (_) @callee arguments: (argument_list) @args) @call
(member_access_expression expression: (_) @receiver name: (identifier) @field) @member
(element_access_expression expression: (_) @receiver subscript: (bracketed_argument_list . (argument (string_literal) @key) .)) @index
(variable_declarator name: (identifier) @const.name . (_) @const.value) @const
