;; The filter gradient of a Winograd F(2x2, 3x3) convolution (see winograd.wat and
;; kernels/cpu/conv_winograd_grad.ts): per tile, V = B^T d B of the input and A dY A^T of the output
;; gradient; summed over tiles, their products per channel pair are G dW G^T.

  ;; A dY A^T of one tile's 2x2 output gradient at $dy (rows $rowStride bytes apart; $rows x $cols of
  ;; it exist, the rest counts as zero), four channels at a time; entry xi goes to $y + xi*$yStride.
  (func $winogradGradTile (param $dy i32) (param $rowStride i32) (param $channelBytes i32) (param $rows i32) (param $cols i32)
    (param $y i32) (param $yStride i32)
    (local $cb i32) (local $p i32) (local $q i32) (local $y00 v128) (local $y01 v128) (local $y10 v128) (local $y11 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128) (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (loop $channels
      (local.set $p (i32.add (local.get $dy) (local.get $cb)))
      (local.set $y00 (v128.load (local.get $p)))
      (local.set $y01 (v128.const i32x4 0 0 0 0))
      (local.set $y10 (v128.const i32x4 0 0 0 0))
      (local.set $y11 (v128.const i32x4 0 0 0 0))
      (if (i32.gt_u (local.get $cols) (i32.const 1)) (then (local.set $y01 (v128.load (i32.add (local.get $p) (local.get $channelBytes))))))
      (if (i32.gt_u (local.get $rows) (i32.const 1)) (then
        (local.set $p (i32.add (local.get $p) (local.get $rowStride)))
        (local.set $y10 (v128.load (local.get $p)))
        (if (i32.gt_u (local.get $cols) (i32.const 1)) (then (local.set $y11 (v128.load (i32.add (local.get $p) (local.get $channelBytes))))))))
      ;; s = A dY (4 x 2): rows y0, y0 + y1, y0 - y1, -y1
      (local.set $s00 (local.get $y00))
      (local.set $s10 (f32x4.add (local.get $y00) (local.get $y10)))
      (local.set $s20 (f32x4.sub (local.get $y00) (local.get $y10)))
      (local.set $s30 (f32x4.neg (local.get $y10)))
      (local.set $s01 (local.get $y01))
      (local.set $s11 (f32x4.add (local.get $y01) (local.get $y11)))
      (local.set $s21 (f32x4.sub (local.get $y01) (local.get $y11)))
      (local.set $s31 (f32x4.neg (local.get $y11)))
      ;; A dY A^T = s A^T (4 x 4): columns s0, s0 + s1, s0 - s1, -s1
      (local.set $q (i32.add (local.get $y) (local.get $cb)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 0) (local.get $yStride))) (local.get $s00))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 1) (local.get $yStride))) (f32x4.add (local.get $s00) (local.get $s01)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 2) (local.get $yStride))) (f32x4.sub (local.get $s00) (local.get $s01)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 3) (local.get $yStride))) (f32x4.neg (local.get $s01)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 4) (local.get $yStride))) (local.get $s10))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 5) (local.get $yStride))) (f32x4.add (local.get $s10) (local.get $s11)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 6) (local.get $yStride))) (f32x4.sub (local.get $s10) (local.get $s11)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 7) (local.get $yStride))) (f32x4.neg (local.get $s11)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 8) (local.get $yStride))) (local.get $s20))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 9) (local.get $yStride))) (f32x4.add (local.get $s20) (local.get $s21)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 10) (local.get $yStride))) (f32x4.sub (local.get $s20) (local.get $s21)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 11) (local.get $yStride))) (f32x4.neg (local.get $s21)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 12) (local.get $yStride))) (local.get $s30))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 13) (local.get $yStride))) (f32x4.add (local.get $s30) (local.get $s31)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 14) (local.get $yStride))) (f32x4.sub (local.get $s30) (local.get $s31)))
      (v128.store (i32.add (local.get $q) (i32.mul (i32.const 15) (local.get $yStride))) (f32x4.neg (local.get $s31)))
      (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
      (br_if $channels (i32.lt_u (local.get $cb) (local.get $channelBytes)))))

  ;; The filter gradient's transforms for tiles [t0, t1) of all $tiles: V of the input (tile t at
  ;; $v + t*inC*4, matrix xi at $v + xi*tiles*inC*4) and A dY A^T of the output gradient (the same
  ;; layout with outC). $window: 16 x inC floats of this thread's.
  (func (export "winogradGradTransforms")
    (param $x i32) (param $dy i32) (param $v i32) (param $y i32) (param $t0 i32) (param $t1 i32) (param $tiles i32)
    (param $inH i32) (param $inW i32) (param $inC i32) (param $outH i32) (param $outW i32) (param $outC i32)
    (param $padTop i32) (param $padLeft i32) (param $tilesH i32) (param $tilesW i32) (param $window i32)
    (local $inBytes i32) (local $outBytes i32) (local $t i32) (local $image i32) (local $ty i32) (local $tx i32)
    (local $perImage i32) (local $src i32) (local $oy0 i32) (local $ox0 i32)
    (local.set $inBytes (i32.shl (local.get $inC) (i32.const 2)))
    (local.set $outBytes (i32.shl (local.get $outC) (i32.const 2)))
    (local.set $perImage (i32.mul (local.get $tilesH) (local.get $tilesW)))
    (local.set $image (i32.div_u (local.get $t0) (local.get $perImage)))
    (local.set $ty (i32.div_u (i32.sub (local.get $t0) (i32.mul (local.get $image) (local.get $perImage))) (local.get $tilesW)))
    (local.set $tx (i32.sub (i32.sub (local.get $t0) (i32.mul (local.get $image) (local.get $perImage))) (i32.mul (local.get $ty) (local.get $tilesW))))
    (local.set $t (local.get $t0))
    (block $done (loop $tilesLoop
      (br_if $done (i32.ge_u (local.get $t) (local.get $t1)))
      (local.set $src (call $winogradWindow (local.get $x) (local.get $image)
        (i32.sub (i32.shl (local.get $ty) (i32.const 1)) (local.get $padTop)) (i32.sub (i32.shl (local.get $tx) (i32.const 1)) (local.get $padLeft))
        (local.get $inH) (local.get $inW) (local.get $inBytes) (local.get $window)))
      (call $winogradInputTile (local.get $src)
        (select (i32.shl (local.get $inBytes) (i32.const 2)) (i32.mul (local.get $inW) (local.get $inBytes)) (i32.eq (local.get $src) (local.get $window)))
        (local.get $inBytes) (i32.add (local.get $v) (i32.mul (local.get $t) (local.get $inBytes)))
        (i32.mul (local.get $tiles) (local.get $inBytes)) (local.get $inBytes))
      (local.set $oy0 (i32.shl (local.get $ty) (i32.const 1)))
      (local.set $ox0 (i32.shl (local.get $tx) (i32.const 1)))
      (call $winogradGradTile
        (i32.add (local.get $dy) (i32.mul (local.get $outBytes)
          (i32.add (i32.mul (i32.add (i32.mul (local.get $image) (local.get $outH)) (local.get $oy0)) (local.get $outW)) (local.get $ox0))))
        (i32.mul (local.get $outW) (local.get $outBytes)) (local.get $outBytes)
        (i32.sub (local.get $outH) (local.get $oy0)) (i32.sub (local.get $outW) (local.get $ox0))
        (i32.add (local.get $y) (i32.mul (local.get $t) (local.get $outBytes))) (i32.mul (local.get $tiles) (local.get $outBytes)))
      (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
      (if (i32.eq (local.get $tx) (local.get $tilesW)) (then
        (local.set $tx (i32.const 0))
        (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
        (if (i32.eq (local.get $ty) (local.get $tilesH)) (then
          (local.set $ty (i32.const 0))
          (local.set $image (i32.add (local.get $image) (i32.const 1)))))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $tilesLoop))))

  ;; Rows [m0, m1) (input channels) of the 16 products dU[xi] = V[xi]^T . (A dY A^T)[xi], each
  ;; [inC x outC] at $du + xi*inC*outC*4, summed over all $tiles in tile order.
  (func (export "winogradGradProducts")
    (param $v i32) (param $y i32) (param $du i32) (param $m0 i32) (param $m1 i32) (param $tiles i32)
    (param $inC i32) (param $outC i32) (param $gemmScratch i32)
    (local $xi i32) (local $inBytes i32) (local $outBytes i32)
    (local.set $inBytes (i32.shl (local.get $inC) (i32.const 2)))
    (local.set $outBytes (i32.shl (local.get $outC) (i32.const 2)))
    (block $done (loop $products
      (br_if $done (i32.ge_u (local.get $xi) (i32.const 16)))
      (call $gemm
        (i32.add (local.get $v) (i32.mul (local.get $xi) (i32.mul (local.get $tiles) (local.get $inBytes)))) (i32.const 4) (local.get $inBytes)
        (i32.add (local.get $y) (i32.mul (local.get $xi) (i32.mul (local.get $tiles) (local.get $outBytes)))) (local.get $outBytes) (i32.const 4)
        (i32.add (local.get $du) (i32.mul (local.get $xi) (i32.mul (local.get $inC) (local.get $outBytes))))
        (local.get $m0) (local.get $m1) (local.get $tiles) (local.get $outC) (i32.const 0) (i32.const 0) (local.get $gemmScratch))
      (local.set $xi (i32.add (local.get $xi) (i32.const 1)))
      (br $products))))
