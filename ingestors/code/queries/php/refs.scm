; References: calls (functions, `$obj->m()`, `$obj?->m()`, `Class::m()`, `new C()`),
; property reads (`$obj->x`), keyed reads (`$arr['key']`), string bindings.
(function_call_expression function: (name) @callee arguments: (arguments) @args) @call
(function_call_expression function: (qualified_name (name) @callee .) arguments: (arguments) @args) @call
(member_call_expression object: (_) @receiver name: (name) @callee arguments: (arguments) @args) @call
(nullsafe_member_call_expression object: (_) @receiver name: (name) @callee arguments: (arguments) @args) @call
(scoped_call_expression scope: (_) @receiver name: (name) @callee arguments: (arguments) @args) @call
(object_creation_expression (name) @callee (arguments) @args) @call
(object_creation_expression (qualified_name (name) @callee .) (arguments) @args) @call
(member_access_expression object: (_) @receiver name: (name) @field) @member
(nullsafe_member_access_expression object: (_) @receiver name: (name) @field) @member
(subscript_expression . (_) @receiver . [(string) (encapsed_string)] @key .) @index
(assignment_expression left: (variable_name) @const.name right: (_) @const.value) @const
(const_element (name) @const.name . (_) @const.value) @const
