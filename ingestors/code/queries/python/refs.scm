; References: calls, attribute reads, keyed reads, string constants.
(call function: (identifier) @callee arguments: (argument_list) @args) @call
(call function: (attribute object: (_) @receiver attribute: (identifier) @callee) arguments: (argument_list) @args) @call
(attribute object: (_) @receiver attribute: (identifier) @field) @member
(subscript value: (_) @receiver subscript: (string) @key) @index
(call
  function: (attribute object: (_) @receiver attribute: (identifier) @_m)
  arguments: (argument_list . (string) @key)
  (#eq? @_m "get")) @index
(assignment left: (identifier) @const.name right: (_) @const.value) @const
