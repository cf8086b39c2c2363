; References. @call/@callee[/@receiver]/@args for calls; @member/@field/@receiver for field reads;
; @index/@key/@receiver for keyed reads; @const/@const.name/@const.value for same-file string constants.
(call_expression function: (identifier) @callee arguments: (arguments) @args) @call
(call_expression function: (field_expression value: (_) @receiver field: (field_identifier) @callee) arguments: (arguments) @args) @call
(call_expression function: (scoped_identifier path: (_) @receiver name: (identifier) @callee) arguments: (arguments) @args) @call
(call_expression function: (generic_function function: (identifier) @callee) arguments: (arguments) @args) @call
(call_expression function: (generic_function function: (field_expression value: (_) @receiver field: (field_identifier) @callee)) arguments: (arguments) @args) @call
(call_expression function: (generic_function function: (scoped_identifier path: (_) @receiver name: (identifier) @callee)) arguments: (arguments) @args) @call
(macro_invocation macro: (identifier) @callee (token_tree) @args) @call
(field_expression value: (_) @receiver field: (field_identifier) @field) @member
(index_expression . (_) @receiver . (string_literal) @key) @index
(call_expression
  function: (field_expression value: (_) @receiver field: (field_identifier) @_m)
  arguments: (arguments . (string_literal) @key .)
  (#eq? @_m "get")) @index
(const_item name: (identifier) @const.name value: (string_literal) @const.value) @const
(static_item name: (identifier) @const.name value: (string_literal) @const.value) @const
(let_declaration pattern: (identifier) @const.name value: (_) @const.value) @const
