;; A loop of bulk-memory copies and fills (what a module built with
;; -mbulk-memory makes of memcpy and memset): each is one instruction,
;; whatever its length. The global and export sections are what the
;; engine's loop checks need of a module.
(module
  (memory (export "memory") 1)
  (global $unused (mut i32) (i32.const 0))
  (func (export "copies") (param $n i32) (param $len i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (memory.copy (i32.const 0) (i32.const 1) (local.get $len))
      (memory.fill (i32.const 0) (i32.const 7) (local.get $len))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))))
