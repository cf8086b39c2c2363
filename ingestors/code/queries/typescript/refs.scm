; References: calls, member reads, keyed reads, string constants (see queries/rust/refs.scm for the captures).
(call_expression function: (identifier) @callee arguments: (arguments) @args) @call
(call_expression function: (member_expression object: (_) @receiver property: (property_identifier) @callee) arguments: (arguments) @args) @call
; `await api.get<T>(url)` parses with the await around the function (type arguments quirk).
(call_expression function: (await_expression (member_expression object: (_) @receiver property: (property_identifier) @callee)) arguments: (arguments) @args) @call
(new_expression constructor: (identifier) @callee arguments: (arguments) @args) @call
(new_expression constructor: (member_expression object: (_) @receiver property: (property_identifier) @callee) arguments: (arguments) @args) @call
(member_expression object: (_) @receiver property: (property_identifier) @field) @member
(subscript_expression object: (_) @receiver index: (string) @key) @index
(variable_declarator name: (identifier) @const.name value: (_) @const.value) @const
(public_field_definition name: (property_identifier) @const.name value: [(string) (template_string)] @const.value) @const
; Enum members are constants too (`enum Subjects { TicketCreated = 'ticket:created' }`).
(enum_assignment name: (property_identifier) @const.name value: (_) @const.value) @const
