; References: calls, navigation reads, keyed reads, string constants.
(call_expression . (identifier) @callee . [(value_arguments) (annotated_lambda)] @args) @call
(call_expression . (navigation_expression . (_) @receiver . (identifier) @callee .) . [(value_arguments) (annotated_lambda)] @args) @call
(navigation_expression . (_) @receiver . (identifier) @field .) @member
(index_expression . (_) @receiver . (string_literal) @key .) @index
(property_declaration (variable_declaration (identifier) @const.name) . (_) @const.value) @const
