;; WebAssembly SIMD micro-kernel of the float32 GEMM (the source of truth; compiled to
;; gemm_wasm_bytes.ts by `node scripts/build-wasm-gemm.mjs` in packages/core).
;;
;; The JS side (wasm_gemm.ts) packs blocks of op(A) and op(B) into this module's memory, in the
;; same panel layout as the JS GEMM (gemm.ts), and calls `gemmBlock` once per packed block:
;;   A block: mPanels panels of MR=4 rows, each kc x 4 floats, p-major (A[p*4 + i]);
;;   B block: nPanels panels of NR=8 columns, each kc x 8 floats, p-major (B[p*8 + j]);
;;   C block: (mPanels*4) x (nPanels*8) floats, row-major, padded to whole tiles so that no tile
;;            needs edge handling here (the JS side copies only the valid part out).
;; Each 4x8 tile of C lives in eight f32x4 accumulators (two per row) across the whole kc loop:
;; per step, two vector loads of B and four broadcast loads of A feed 8 multiplies + 8 adds.
;; Baseline SIMD has no fused multiply-add, so products are rounded before they are added, and
;; sums are float32 (the JS path accumulates a tile in float64): see wasm_gemm.ts.
(module
  (memory (export "memory") 1)

  ;; C[tile] (+)= A panel x B panel over kc steps. $ldc is C's row stride in bytes.
  (func $tile (param $a i32) (param $b i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $accumulate i32)
    (local $aEnd i32)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $aEnd (i32.add (local.get $a) (i32.shl (local.get $kc) (i32.const 4))))
    ;; kc >= 1 always (the caller never packs an empty slice), so a do-while loop is safe.
    (loop $depth
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $av (v128.load32_splat offset=0 (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat offset=4 (local.get $a)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat offset=8 (local.get $a)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat offset=12 (local.get $a)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (br_if $depth (i32.lt_u (local.get $a) (local.get $aEnd))))
    (if (local.get $accumulate)
      (then
        (call $addRow (local.get $c) (local.get $c00) (local.get $c01))
        (call $addRow (i32.add (local.get $c) (local.get $ldc)) (local.get $c10) (local.get $c11))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 1))))
        (call $addRow (local.get $c) (local.get $c20) (local.get $c21))
        (call $addRow (i32.add (local.get $c) (local.get $ldc)) (local.get $c30) (local.get $c31)))
      (else
        (v128.store (local.get $c) (local.get $c00))
        (v128.store offset=16 (local.get $c) (local.get $c01))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c10))
        (v128.store offset=16 (local.get $c) (local.get $c11))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c20))
        (v128.store offset=16 (local.get $c) (local.get $c21))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c30))
        (v128.store offset=16 (local.get $c) (local.get $c31)))))

  ;; One 8-wide row of a tile added into C (only on later KC slices, so off the hot loop).
  (func $addRow (param $c i32) (param $lo v128) (param $hi v128)
    (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $lo)))
    (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $hi))))

  ;; Every tile of one packed block. B panels outer, A panels inner: the kc x 8 B panel (8 KiB at
  ;; kc=256) stays in L1 while the A block streams from L2.
  (func (export "gemmBlock")
    (param $a i32) (param $b i32) (param $c i32) (param $mPanels i32) (param $nPanels i32) (param $kc i32) (param $accumulate i32)
    (local $ldc i32) (local $aStep i32) (local $bStep i32) (local $cRowStep i32)
    (local $jp i32) (local $ip i32) (local $bPanel i32) (local $cCol i32) (local $aPanel i32) (local $cTile i32)
    (local.set $ldc (i32.shl (local.get $nPanels) (i32.const 5)))
    (local.set $aStep (i32.shl (local.get $kc) (i32.const 4)))
    (local.set $bStep (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $cRowStep (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $bPanel (local.get $b))
    (local.set $cCol (local.get $c))
    (block $doneJ
      (loop $panelsJ
        (br_if $doneJ (i32.ge_u (local.get $jp) (local.get $nPanels)))
        (local.set $aPanel (local.get $a))
        (local.set $cTile (local.get $cCol))
        (local.set $ip (i32.const 0))
        (block $doneI
          (loop $panelsI
            (br_if $doneI (i32.ge_u (local.get $ip) (local.get $mPanels)))
            (call $tile (local.get $aPanel) (local.get $bPanel) (local.get $kc) (local.get $cTile) (local.get $ldc) (local.get $accumulate))
            (local.set $aPanel (i32.add (local.get $aPanel) (local.get $aStep)))
            (local.set $cTile (i32.add (local.get $cTile) (local.get $cRowStep)))
            (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
            (br $panelsI)))
        (local.set $bPanel (i32.add (local.get $bPanel) (local.get $bStep)))
        (local.set $cCol (i32.add (local.get $cCol) (i32.const 32)))
        (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
        (br $panelsJ))))
)
