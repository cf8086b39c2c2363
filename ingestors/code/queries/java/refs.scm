; References: calls, field reads, string constants.
(method_invocation !object name: (identifier) @callee arguments: (argument_list) @args) @call
(method_invocation object: (_) @receiver name: (identifier) @callee arguments: (argument_list) @args) @call
(object_creation_expression type: [(type_identifier) (scoped_type_identifier) (generic_type)] @callee arguments: (argument_list) @args) @call
(field_access object: (_) @receiver field: (identifier) @field) @member
(variable_declarator name: (identifier) @const.name value: (_) @const.value) @const
