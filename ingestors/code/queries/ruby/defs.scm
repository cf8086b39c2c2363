; Definitions. @def.<kind> on the node, @name on its name. `class A::B` is named
; `B` and qualified by `A` in src/langs/ruby.rs; `attr_accessor`s and RSpec
; blocks are read there too.
(module name: (constant) @name) @def.module
(module name: (scope_resolution name: (constant) @name)) @def.module
(class name: (constant) @name) @def.class
(class name: (scope_resolution name: (constant) @name)) @def.class
(method name: (_) @name) @def.function
(singleton_method name: (_) @name) @def.method
(program (assignment left: (constant) @name right: (_)) @def.const)
