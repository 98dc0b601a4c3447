;; Float32 GEMM on the tensor heap (see README of this folder for how the .wat files form one
;; module). out[m0..m1) (+)= op(A)·op(B) (+ bias, relu), every operand addressed in place in the
;; shared memory, with the GotoBLAS/BLIS blocking of the JS GEMM (cpu_backend/gemm.ts):
;;   for each NC-wide column block and KC-deep slice, op(B) is packed into 8-wide panels, then for
;;   each MC-tall row block op(A) is packed into 4-tall panels and `gemmBlock` runs every 4x8
;;   tile of the block into a C block in the caller's scratch, which `storeC` writes out.
;; A thread computes the rows [m0, m1) it is given (it packs op(B) itself), so threads never
;; write the same output and each output's summation order is the same whatever the split.
;; Tiles accumulate in f32x4 (no fused multiply-add in baseline SIMD): the error of a plain
;; float32 dot product, at worst about k * 2^-24 relative to sum |a*b|.
;;
;; Scratch layout (bytes from $scratch): A panels MC*KC*4 | B panels KC*NC*4 | C block MC*NC*4 |
;; one zero line of KC floats (the source of the padding lines when packing along p).

  ;; C[tile] (+)= A panel x B panel over kc steps. $ldc is C's row stride in bytes.
  (func $tile (param $a i32) (param $b i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $accumulate i32)
    (local $aEnd i32)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $aEnd (i32.add (local.get $a) (i32.shl (local.get $kc) (i32.const 4))))
    ;; kc >= 1 always (the driver never packs an empty slice), so a do-while loop is safe.
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
    ;; Written out, not calls: a call after the loop would clobber every vector register, so V8
    ;; would spill the accumulators to the stack on each step of the loop above.
    (if (local.get $accumulate)
      (then
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c00)))
        (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c10)))
        (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c20)))
        (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c30)))
        (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c31))))
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

  ;; Every tile of one packed block. B panels outer, A panels inner: the kc x 8 B panel (8 KiB at
  ;; kc=256) stays in L1 while the A block streams from L2.
  (func $gemmBlock
    (param $a i32) (param $b i32) (param $c i32) (param $ldc i32) (param $mPanels i32) (param $nPanels i32) (param $kc i32)
    (param $accumulate i32)
    (local $aStep i32) (local $bStep i32) (local $cRowStep i32)
    (local $jp i32) (local $ip i32) (local $bPanel i32) (local $cCol i32) (local $aPanel i32) (local $cTile i32)
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

  ;; Copies the mc x nc part of the output at $out (row stride $ldo bytes) into the C block.
  (func $loadC (param $out i32) (param $ldo i32) (param $c i32) (param $ldc i32) (param $mc i32) (param $nc i32)
    (local $i i32) (local $j i32) (local $vecEnd i32) (local $ncBytes i32)
    (local.set $ncBytes (i32.shl (local.get $nc) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $ncBytes) (i32.const -16)))
    (block $doneI
      (loop $rows
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $mc)))
        (local.set $j (i32.const 0))
        (block $doneV
          (loop $vectors
            (br_if $doneV (i32.ge_u (local.get $j) (local.get $vecEnd)))
            (v128.store (i32.add (local.get $c) (local.get $j)) (v128.load (i32.add (local.get $out) (local.get $j))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        (block $doneS
          (loop $scalars
            (br_if $doneS (i32.ge_u (local.get $j) (local.get $ncBytes)))
            (f32.store (i32.add (local.get $c) (local.get $j)) (f32.load (i32.add (local.get $out) (local.get $j))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $scalars)))
        (local.set $out (i32.add (local.get $out) (local.get $ldo)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Writes the mc x nc part of the C block to the output; on the last slice adds $bias (floats at
  ;; $bias, one per column; 0 = none) and, with $relu, maps negatives to 0 (NaN and -0 pass, as
  ;; in the JS relu).
  (func $storeC (param $c i32) (param $ldc i32) (param $out i32) (param $ldo i32) (param $mc i32) (param $nc i32)
    (param $bias i32) (param $relu i32)
    (local $i i32) (local $j i32) (local $vecEnd i32) (local $ncBytes i32) (local $v v128) (local $s f32)
    (local.set $ncBytes (i32.shl (local.get $nc) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $ncBytes) (i32.const -16)))
    (block $doneI
      (loop $rows
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $mc)))
        (local.set $j (i32.const 0))
        (block $doneV
          (loop $vectors
            (br_if $doneV (i32.ge_u (local.get $j) (local.get $vecEnd)))
            (local.set $v (v128.load (i32.add (local.get $c) (local.get $j))))
            (if (local.get $bias)
              (then (local.set $v (f32x4.add (local.get $v) (v128.load (i32.add (local.get $bias) (local.get $j)))))))
            (if (local.get $relu)
              (then (local.set $v (v128.andnot (local.get $v) (f32x4.lt (local.get $v) (v128.const f32x4 0 0 0 0))))))
            (v128.store (i32.add (local.get $out) (local.get $j)) (local.get $v))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        (block $doneS
          (loop $scalars
            (br_if $doneS (i32.ge_u (local.get $j) (local.get $ncBytes)))
            (local.set $s (f32.load (i32.add (local.get $c) (local.get $j))))
            (if (local.get $bias)
              (then (local.set $s (f32.add (local.get $s) (f32.load (i32.add (local.get $bias) (local.get $j)))))))
            (if (i32.and (local.get $relu) (f32.lt (local.get $s) (f32.const 0)))
              (then (local.set $s (f32.const 0))))
            (f32.store (i32.add (local.get $out) (local.get $j)) (local.get $s))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $scalars)))
        (local.set $out (i32.add (local.get $out) (local.get $ldo)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out rows [m0, m1) of op(A)·op(B) (+ out when $flags & 4) (+ bias) (relu when $flags & 1).
  ;; Strides are in bytes: op(A)(i, p) at $a + i*$aI + p*$aP, op(B)(p, j) at $b + p*$bP + j*$bJ;
  ;; out is row-major [m, n]. Requires k >= 1 and n >= 1.
  (func $gemm (export "gemm")
    (param $a i32) (param $aI i32) (param $aP i32) (param $b i32) (param $bP i32) (param $bJ i32)
    (param $out i32) (param $m0 i32) (param $m1 i32) (param $k i32) (param $n i32)
    (param $bias i32) (param $flags i32) (param $scratch i32)
    (local $aPack i32) (local $bPack i32) (local $cBlock i32) (local $zero i32)
    (local $kcStep i32) (local $jc i32) (local $pc i32) (local $ic i32) (local $nc i32) (local $kc i32) (local $mc i32)
    (local $nPanels i32) (local $ldc i32) (local $ldo i32) (local $outBlock i32) (local $accumulate i32) (local $last i32)
    (local.set $aPack (local.get $scratch))
    (local.set $bPack (i32.add (local.get $aPack) (i32.const 131072)))   ;; MC*KC*4 = 128*256*4
    (local.set $cBlock (i32.add (local.get $bPack) (i32.const 524288)))  ;; KC*NC*4 = 256*512*4
    (local.set $zero (i32.add (local.get $cBlock) (i32.const 262144)))   ;; MC*NC*4 = 128*512*4
    (memory.fill (local.get $zero) (i32.const 0) (i32.const 1024))
    (local.set $ldo (i32.shl (local.get $n) (i32.const 2)))
    ;; Equal slices of at most KC=256 (784 = 4 x 196, not 3 x 256 + 16).
    (local.set $kcStep (i32.div_u (i32.sub (i32.add (local.get $k)
      (i32.div_u (i32.add (local.get $k) (i32.const 255)) (i32.const 256))) (i32.const 1))
      (i32.div_u (i32.add (local.get $k) (i32.const 255)) (i32.const 256))))
    (block $doneJc
      (loop $columnBlocks
        (br_if $doneJc (i32.ge_u (local.get $jc) (local.get $n)))
        (local.set $nc (select (i32.sub (local.get $n) (local.get $jc)) (i32.const 512)
          (i32.lt_u (i32.sub (local.get $n) (local.get $jc)) (i32.const 512))))
        (local.set $nPanels (i32.shr_u (i32.add (local.get $nc) (i32.const 7)) (i32.const 3)))
        (local.set $ldc (i32.shl (local.get $nPanels) (i32.const 5)))
        (local.set $pc (i32.const 0))
        (block $donePc
          (loop $slices
            (br_if $donePc (i32.ge_u (local.get $pc) (local.get $k)))
            (local.set $kc (select (i32.sub (local.get $k) (local.get $pc)) (local.get $kcStep)
              (i32.lt_u (i32.sub (local.get $k) (local.get $pc)) (local.get $kcStep))))
            (local.set $last (i32.ge_u (i32.add (local.get $pc) (local.get $kc)) (local.get $k)))
            (call $packPanels
              (i32.add (local.get $b) (i32.add (i32.mul (local.get $pc) (local.get $bP)) (i32.mul (local.get $jc) (local.get $bJ))))
              (local.get $bJ) (local.get $bP) (local.get $kc) (local.get $nc) (i32.const 8) (local.get $bPack) (local.get $zero))
            (local.set $ic (local.get $m0))
            (block $doneIc
              (loop $rowBlocks
                (br_if $doneIc (i32.ge_u (local.get $ic) (local.get $m1)))
                (local.set $mc (select (i32.sub (local.get $m1) (local.get $ic)) (i32.const 128)
                  (i32.lt_u (i32.sub (local.get $m1) (local.get $ic)) (i32.const 128))))
                (call $packPanels
                  (i32.add (local.get $a) (i32.add (i32.mul (local.get $ic) (local.get $aI)) (i32.mul (local.get $pc) (local.get $aP))))
                  (local.get $aI) (local.get $aP) (local.get $kc) (local.get $mc) (i32.const 4) (local.get $aPack) (local.get $zero))
                (local.set $outBlock (i32.add (local.get $out)
                  (i32.add (i32.mul (local.get $ic) (local.get $ldo)) (i32.shl (local.get $jc) (i32.const 2)))))
                ;; Later slices (and accumulating calls) add onto what the output holds.
                (local.set $accumulate (i32.or (i32.ne (local.get $pc) (i32.const 0)) (i32.and (local.get $flags) (i32.const 4))))
                (if (i32.and
                      (i32.and (i32.eqz (local.get $pc)) (local.get $last))
                      (i32.and
                        (i32.eqz (i32.or (i32.or (i32.and (local.get $mc) (i32.const 3)) (i32.and (local.get $nc) (i32.const 7)))
                          (i32.or (local.get $bias) (i32.and (local.get $flags) (i32.const 1)))))
                        (i32.ne (i32.and (local.get $ldo) (i32.const 4095)) (i32.const 0))))
                  (then
                    ;; One depth slice, whole tiles, no epilogue (short products such as Winograd's):
                    ;; the tiles write (or add onto) the output itself, the same float operations as
                    ;; through the C block without its two copies. Not for rows a multiple of 4 KiB
                    ;; apart, whose tile stores would alias in the cache.
                    (call $gemmBlock (local.get $aPack) (local.get $bPack) (local.get $outBlock) (local.get $ldo)
                      (i32.shr_u (local.get $mc) (i32.const 2)) (local.get $nPanels) (local.get $kc) (local.get $accumulate)))
                  (else
                    (if (local.get $accumulate)
                      (then (call $loadC (local.get $outBlock) (local.get $ldo) (local.get $cBlock) (local.get $ldc) (local.get $mc) (local.get $nc))))
                    (call $gemmBlock (local.get $aPack) (local.get $bPack) (local.get $cBlock) (local.get $ldc)
                      (i32.shr_u (i32.add (local.get $mc) (i32.const 3)) (i32.const 2)) (local.get $nPanels) (local.get $kc) (local.get $accumulate))
                    (call $storeC (local.get $cBlock) (local.get $ldc) (local.get $outBlock) (local.get $ldo) (local.get $mc) (local.get $nc)
                      (select (select (i32.add (local.get $bias) (i32.shl (local.get $jc) (i32.const 2))) (i32.const 0) (local.get $bias))
                        (i32.const 0) (local.get $last))
                      (i32.and (local.get $last) (i32.and (local.get $flags) (i32.const 1))))))
                (local.set $ic (i32.add (local.get $ic) (i32.const 128)))
                (br $rowBlocks)))
            (local.set $pc (i32.add (local.get $pc) (local.get $kc)))
            (br $slices)))
        (local.set $jc (i32.add (local.get $jc) (i32.const 512)))
        (br $columnBlocks))))

  ;; Packs a kc-deep block into $width-wide panels at $dst: element (x, p), read from
  ;; $src + x*$sX + p*$sP, goes to panel x / $width at p*$width + x % $width; panels are
  ;; zero-padded to whole tiles. Three layouts: x contiguous (rows), p contiguous (lines, four at a
  ;; time transposed in registers; missing lines read $zero), and any other strides (scalar).
  (func $packPanels (param $src i32) (param $sX i32) (param $sP i32) (param $kc i32) (param $extent i32) (param $width i32)
    (param $dst i32) (param $zero i32)
    (local $widthBytes i32) (local $panelBytes i32) (local $full i32) (local $p i32) (local $q i32) (local $x i32)
    (local $s i32) (local $d i32) (local $rest i32)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $panelBytes (i32.mul (local.get $kc) (local.get $widthBytes)))
    (if (i32.eq (local.get $sX) (i32.const 4))
      (then
        (local.set $full (i32.div_u (local.get $extent) (local.get $width)))
        (local.set $rest (i32.sub (local.get $extent) (i32.mul (local.get $full) (local.get $width))))
        (block $doneP
          (loop $rows
            (br_if $doneP (i32.ge_u (local.get $p) (local.get $kc)))
            (local.set $s (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $sP))))
            (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $p) (local.get $widthBytes))))
            (local.set $q (i32.const 0))
            (block $doneQ
              (loop $panels
                (br_if $doneQ (i32.ge_u (local.get $q) (local.get $full)))
                (v128.store (local.get $d) (v128.load (local.get $s)))
                (if (i32.eq (local.get $width) (i32.const 8))
                  (then (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))))
                (local.set $s (i32.add (local.get $s) (local.get $widthBytes)))
                (local.set $d (i32.add (local.get $d) (local.get $panelBytes)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $panels)))
            (if (local.get $rest)
              (then
                (memory.fill (local.get $d) (i32.const 0) (local.get $widthBytes))
                (memory.copy (local.get $d) (local.get $s) (i32.shl (local.get $rest) (i32.const 2)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rows)))
        (return)))
    (if (i32.eq (local.get $sP) (i32.const 4))
      (then
        (call $packLines (local.get $src) (local.get $sX) (local.get $kc) (local.get $extent) (local.get $width)
          (local.get $dst) (local.get $zero))
        (return)))
    ;; Any other strides: one float at a time, zeros past the extent.
    (local.set $full (i32.mul (i32.div_u (i32.add (local.get $extent) (i32.sub (local.get $width) (i32.const 1))) (local.get $width))
      (local.get $width)))
    (block $doneX
      (loop $columns
        (br_if $doneX (i32.ge_u (local.get $x) (local.get $full)))
        (local.set $d (i32.add (local.get $dst)
          (i32.add (i32.mul (i32.div_u (local.get $x) (local.get $width)) (local.get $panelBytes))
                   (i32.shl (i32.rem_u (local.get $x) (local.get $width)) (i32.const 2)))))
        (local.set $s (i32.add (local.get $src) (i32.mul (local.get $x) (local.get $sX))))
        (local.set $p (i32.const 0))
        (block $doneP2
          (loop $depth
            (br_if $doneP2 (i32.ge_u (local.get $p) (local.get $kc)))
            (if (i32.lt_u (local.get $x) (local.get $extent))
              (then (f32.store (local.get $d) (f32.load (local.get $s))))
              (else (f32.store (local.get $d) (f32.const 0))))
            (local.set $s (i32.add (local.get $s) (local.get $sP)))
            (local.set $d (i32.add (local.get $d) (local.get $widthBytes)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $depth)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $columns))))

  ;; packPanels for p-contiguous sources: line x ($lineStride bytes apart) holds p = 0..kc-1.
  ;; Four lines at a time, 4x4 blocks are transposed in registers (two rounds of shuffles); lines
  ;; past the extent are read from the zero line; a kc not divisible by 4 ends with scalar steps.
  (func $packLines (param $src i32) (param $lineStride i32) (param $kc i32) (param $extent i32) (param $width i32)
    (param $dst i32) (param $zero i32)
    (local $widthBytes i32) (local $panelBytes i32) (local $groups i32) (local $g i32) (local $x i32)
    (local $l0 i32) (local $l1 i32) (local $l2 i32) (local $l3 i32) (local $d i32) (local $pb i32) (local $kcBytes i32) (local $kc4Bytes i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $panelBytes (i32.mul (local.get $kc) (local.get $widthBytes)))
    (local.set $groups (i32.shr_u (i32.mul (i32.div_u (i32.add (local.get $extent) (i32.sub (local.get $width) (i32.const 1))) (local.get $width))
      (local.get $width)) (i32.const 2)))
    (local.set $kcBytes (i32.shl (local.get $kc) (i32.const 2)))
    (local.set $kc4Bytes (i32.shl (i32.and (local.get $kc) (i32.const -4)) (i32.const 2)))
    (block $doneG
      (loop $lineGroups
        (br_if $doneG (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $x (i32.shl (local.get $g) (i32.const 2)))
        (local.set $l0 (call $lineAt (local.get $src) (local.get $lineStride) (local.get $x) (local.get $extent) (local.get $zero)))
        (local.set $l1 (call $lineAt (local.get $src) (local.get $lineStride) (i32.add (local.get $x) (i32.const 1)) (local.get $extent) (local.get $zero)))
        (local.set $l2 (call $lineAt (local.get $src) (local.get $lineStride) (i32.add (local.get $x) (i32.const 2)) (local.get $extent) (local.get $zero)))
        (local.set $l3 (call $lineAt (local.get $src) (local.get $lineStride) (i32.add (local.get $x) (i32.const 3)) (local.get $extent) (local.get $zero)))
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

  ;; Address of line $x, or of the zero line past the extent.
  (func $lineAt (param $src i32) (param $stride i32) (param $x i32) (param $extent i32) (param $zero i32) (result i32)
    (select (i32.add (local.get $src) (i32.mul (local.get $x) (local.get $stride))) (local.get $zero)
      (i32.lt_u (local.get $x) (local.get $extent))))
