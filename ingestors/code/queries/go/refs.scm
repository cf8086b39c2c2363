; References: calls, selector reads, keyed reads, string constants.
(call_expression function: (identifier) @callee arguments: (argument_list) @args) @call
(call_expression function: (selector_expression operand: (_) @receiver field: (field_identifier) @callee) arguments: (argument_list) @args) @call
(selector_expression operand: (_) @receiver field: (field_identifier) @field) @member
(index_expression operand: (_) @receiver index: (interpreted_string_literal) @key) @index
(const_spec name: (identifier) @const.name value: (expression_list . (_) @const.value .)) @const
(var_spec name: (identifier) @const.name value: (expression_list . (_) @const.value .)) @const
(short_var_declaration left: (expression_list . (identifier) @const.name .) right: (expression_list . (_) @const.value .)) @const
