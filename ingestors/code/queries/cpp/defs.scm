; Definitions. @def.<kind> on the node, @name on its name. Out-of-class
; definitions (`void A::f()`) are qualified by `A` in src/langs/cpp.rs, which
; also drops prototypes outside headers and reads gtest `TEST(...)` macros.
(namespace_definition name: [(namespace_identifier) (nested_namespace_specifier)] @name body: (_)) @def.module
(class_specifier name: (type_identifier) @name body: (_)) @def.class
(class_specifier name: (template_type name: (type_identifier) @name) body: (_)) @def.class
(struct_specifier name: (type_identifier) @name body: (_)) @def.struct
(struct_specifier name: (template_type name: (type_identifier) @name) body: (_)) @def.struct
(union_specifier name: (type_identifier) @name body: (_)) @def.struct
(enum_specifier name: (type_identifier) @name body: (_)) @def.enum
(alias_declaration name: (type_identifier) @name) @def.type
(type_definition declarator: (type_identifier) @name) @def.type
(concept_definition name: (identifier) @name) @def.type

; Function definitions named `plain`, returning values, pointers or references.
(function_definition declarator: [
  (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)
  (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))
  (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))]) @def.function
; Function definitions named `A::f`, returning values, pointers or references.
(function_definition declarator: [
  (function_declarator declarator: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))
  (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)))
  (reference_declarator (function_declarator declarator: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)))]) @def.function
; Function definitions named `A::B::f`, returning values, pointers or references.
(function_definition declarator: [
  (function_declarator declarator: (qualified_identifier name: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)))
  (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier name: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))))
  (reference_declarator (function_declarator declarator: (qualified_identifier name: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))))]) @def.function
; Function definitions named `A::B::C::f`, returning values, pointers or references.
(function_definition declarator: [
  (function_declarator declarator: (qualified_identifier name: (qualified_identifier name: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))))
  (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier name: (qualified_identifier name: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)))))
  (reference_declarator (function_declarator declarator: (qualified_identifier name: (qualified_identifier name: (qualified_identifier name: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)))))]) @def.function
; Template function definitions `f<T>` (explicit specialisations).
(function_definition declarator: (function_declarator declarator: (template_function name: (identifier) @name))) @def.function
; Declarations in class bodies (methods, constructors) and prototypes at namespace level.
(field_declaration declarator: [
  (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)
  (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))
  (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))]) @def.method
(field_declaration_list (declaration declarator: [
  (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)
  (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))
  (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))]) @def.method)
(field_declaration_list (template_declaration (declaration declarator: [
  (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)
  (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))
  (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))]) @def.method))
(translation_unit (declaration declarator: [
  (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)
  (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))
  (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))]) @def.function)
(declaration_list (declaration declarator: [
  (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)
  (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))
  (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))]) @def.function)
(template_declaration (declaration declarator: [
  (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)
  (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))
  (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name))]) @def.function)
