;; WebAssembly SIMD micro-kernel of the float32 GEMM (the source of truth; compiled to
;; gemm_wasm_bytes.ts by `node scripts/build-wasm-gemm.mjs` in packages/core).
;;
;; The JS side (wasm_gemm.ts) copies blocks of op(A) and op(B) into this module's memory, has
;; `packRows` / `packLines` (below) rearrange them into the panel layout of the JS GEMM (gemm.ts),
;; and calls `gemmBlock` once per packed block:
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
;; Packing, after the JS side has copied ("staged") a block of op(A) or op(B) into wasm memory
;; with plain memcpy (TypedArray.set): element x of the block's panel dimension (rows i of op(A),
;; columns j of op(B)) at depth p goes to panel x / $width (4 for A, 8 for B), at p*$width + x % $width.

  ;; Staged as rows: row p ($rowStride bytes apart) holds x = 0.. contiguously, zero-padded to whole
  ;; panels, so each panel row is a straight copy of one or two vectors.
  (func (export "packRows")
    (param $src i32) (param $dst i32) (param $kc i32) (param $panels i32) (param $width i32) (param $rowStride i32)
    (local $widthBytes i32) (local $panelBytes i32) (local $p i32) (local $q i32) (local $s i32) (local $d i32)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $panelBytes (i32.mul (local.get $kc) (local.get $widthBytes)))
    (block $doneP
      (loop $rows
        (br_if $doneP (i32.ge_u (local.get $p) (local.get $kc)))
        (local.set $s (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $rowStride))))
        (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $p) (local.get $widthBytes))))
        (local.set $q (i32.const 0))
        (block $doneQ
          (loop $panels
            (br_if $doneQ (i32.ge_u (local.get $q) (local.get $panels)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (if (i32.eq (local.get $width) (i32.const 8))
              (then (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))))
            (local.set $s (i32.add (local.get $s) (local.get $widthBytes)))
            (local.set $d (i32.add (local.get $d) (local.get $panelBytes)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $panels)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rows))))

  ;; Staged as lines: line x ($lineStride bytes apart) holds p = 0..kc-1 contiguously; lines past
  ;; the block's extent are zeros up to whole panels. Four lines at a time, 4x4 blocks are
  ;; transposed in registers (two rounds of shuffles); a kc not divisible by 4 ends with scalar steps.
  (func (export "packLines")
    (param $src i32) (param $dst i32) (param $kc i32) (param $panels i32) (param $width i32) (param $lineStride i32)
    (local $widthBytes i32) (local $panelBytes i32) (local $groups i32) (local $g i32) (local $x i32)
    (local $l0 i32) (local $l1 i32) (local $l2 i32) (local $l3 i32) (local $d i32) (local $pb i32) (local $kcBytes i32) (local $kc4Bytes i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $panelBytes (i32.mul (local.get $kc) (local.get $widthBytes)))
    (local.set $groups (i32.shr_u (i32.mul (local.get $panels) (local.get $width)) (i32.const 2)))
    (local.set $kcBytes (i32.shl (local.get $kc) (i32.const 2)))
    (local.set $kc4Bytes (i32.shl (i32.and (local.get $kc) (i32.const -4)) (i32.const 2)))
    (block $doneG
      (loop $lineGroups
        (br_if $doneG (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $x (i32.shl (local.get $g) (i32.const 2)))
        (local.set $l0 (i32.add (local.get $src) (i32.mul (local.get $x) (local.get $lineStride))))
        (local.set $l1 (i32.add (local.get $l0) (local.get $lineStride)))
        (local.set $l2 (i32.add (local.get $l1) (local.get $lineStride)))
        (local.set $l3 (i32.add (local.get $l2) (local.get $lineStride)))
        ;; panel x / width, column x % width inside it
        (local.set $d (i32.add (local.get $dst)
          (i32.add (i32.mul (i32.div_u (local.get $x) (local.get $width)) (local.get $panelBytes))
                   (i32.shl (i32.rem_u (local.get $x) (local.get $width)) (i32.const 2)))))
        (local.set $pb (i32.const 0))
        (block $doneQuads
          (loop $quads
            (br_if $doneQuads (i32.ge_u (local.get $pb) (local.get $kc4Bytes)))
            (local.set $r0 (v128.load (i32.add (local.get $l0) (local.get $pb))))
            (local.set $r1 (v128.load (i32.add (local.get $l1) (local.get $pb))))
            (local.set $r2 (v128.load (i32.add (local.get $l2) (local.get $pb))))
            (local.set $r3 (v128.load (i32.add (local.get $l3) (local.get $pb))))
            ;; t0 = r0[0] r1[0] r0[1] r1[1]; t1 = r0[2] r1[2] r0[3] r1[3]; t2, t3 the same for r2, r3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            ;; depth p+j of the four lines = low or high halves of t0/t2 (j = 0, 1) and t1/t3 (j = 2, 3)
            (v128.store (local.get $d)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (local.get $widthBytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (local.set $d (i32.add (local.get $d) (i32.shl (local.get $widthBytes) (i32.const 1))))
            (v128.store (local.get $d)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $d) (local.get $widthBytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $d (i32.add (local.get $d) (i32.shl (local.get $widthBytes) (i32.const 1))))
            (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
            (br $quads)))
        (block $doneTail
          (loop $tail
            (br_if $doneTail (i32.ge_u (local.get $pb) (local.get $kcBytes)))
            (f32.store (local.get $d) (f32.load (i32.add (local.get $l0) (local.get $pb))))
            (f32.store offset=4 (local.get $d) (f32.load (i32.add (local.get $l1) (local.get $pb))))
            (f32.store offset=8 (local.get $d) (f32.load (i32.add (local.get $l2) (local.get $pb))))
            (f32.store offset=12 (local.get $d) (f32.load (i32.add (local.get $l3) (local.get $pb))))
            (local.set $d (i32.add (local.get $d) (local.get $widthBytes)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 4)))
            (br $tail)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $lineGroups))))
)
