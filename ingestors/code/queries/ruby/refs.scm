; References: calls with or without parentheses (`obj.m`, `obj.m(x)`, `m x`),
; keyed reads (`h["k"]`, `h[:k]`), string bindings (locals and constants).
(call receiver: (_) @receiver method: [(identifier) (constant)] @callee arguments: (argument_list) @args) @call
(call receiver: (_) @receiver method: [(identifier) (constant)] @callee !arguments) @call
(call !receiver method: [(identifier) (constant)] @callee arguments: (argument_list) @args) @call
(call !receiver method: (identifier) @callee !arguments block: (_)) @call
(element_reference object: (_) @receiver . [(string) (simple_symbol)] @key .) @index
(assignment left: [(identifier) (constant) (instance_variable)] @const.name right: (_) @const.value) @const
