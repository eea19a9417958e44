/**
 * Conv2D for training on any backend. tfjs-backend-wasm runs Conv2D forward but has no Conv2DBackpropFilter kernel,
 * so `layer.apply` cannot be differentiated there, and the plain-JavaScript cpu backend that has it is about 100x
 * slower (measured on the CNN: 1.4 s vs 13 ms per training row). This op computes the same convolution with
 * tf.conv2d and supplies its gradients from ops every backend runs fast: the filter gradient as one im2col matrix
 * product, the input gradient as a convolution with the flipped kernel. Only stride 1, dilation 1, 'same' padding
 * and odd kernel sizes (what the CNN uses): the flipped-kernel identity and the symmetric padding need them.
 */
import * as tf from '@tensorflow/tfjs';

/** dL/dW[i, j, c, o] = sum over b, y, x of xPadded[b, y + i, x + j, c] * dy[b, y, x, o]. */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, kernelShape: [number, number, number, number]): tf.Tensor4D {
  const [kh, kw, cin, cout] = kernelShape;
  const [b, h, w] = x.shape;
  const padded = x.pad([
    [0, 0],
    [(kh - 1) / 2, (kh - 1) / 2],
    [(kw - 1) / 2, (kw - 1) / 2],
    [0, 0],
  ]);
  const shifted: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) shifted.push(padded.slice([0, i, j, 0], [b, h, w, cin]));
  // Columns ordered (i, j, c), so the product reshapes straight into the kernel's [kh, kw, cin, cout] layout.
  const columns = tf.concat(shifted, 3).reshape([b * h * w, kh * kw * cin]);
  return tf.matMul(columns, dy.reshape([b * h * w, cout]), true, false).reshape(kernelShape);
}

/** For odd kernels with 'same' padding, dL/dx is dy convolved with the kernel flipped in space, in and out swapped. */
function inputGradient(dy: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(dy, tf.reverse(kernel, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D, 1, 'same');
}

function convOp(withInputGradient: boolean) {
  return tf.customGrad((...inputs) => {
    const [x, kernel, save] = inputs as [tf.Tensor4D, tf.Tensor4D, (tensors: tf.Tensor[]) => void];
    save([x, kernel]);
    return {
      value: tf.conv2d(x, kernel, 1, 'same'),
      gradFunc: (dy, saved) => {
        const [xs, ks] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = withInputGradient ? inputGradient(dy as tf.Tensor4D, ks) : tf.zerosLike(xs);
        return [dx, filterGradient(xs, dy as tf.Tensor4D, ks.shape)];
      },
    };
  }) as (x: tf.Tensor4D, kernel: tf.Tensor4D) => tf.Tensor4D;
}

const convWithInputGradient = convOp(true);
/** For a first layer whose input is data: nothing upstream trains, so the input gradient is never used. */
const convWithoutInputGradient = convOp(false);

/** 'same'-padded, stride-1 convolution whose gradients every backend can compute (see the module comment). */
export function conv2dTrainable(x: tf.Tensor4D, kernel: tf.Tensor4D, needsInputGradient: boolean): tf.Tensor4D {
  const [kh, kw] = kernel.shape;
  if (kh % 2 === 0 || kw % 2 === 0) throw new Error(`conv2dTrainable needs odd kernel sizes, got ${kh}x${kw}`);
  return (needsInputGradient ? convWithInputGradient : convWithoutInputGradient)(x, kernel);
}

interface Conv2DConfig {
  strides?: number[];
  padding?: string;
  dilationRate?: number | number[];
  dataFormat?: string;
  kernelSize?: number[];
  activation?: string;
  useBias?: boolean;
}

/**
 * A Conv2D layer's output computed with conv2dTrainable, or null when the layer's configuration is one it does not
 * cover (the caller then applies the layer itself).
 */
export function applyConv2dLayer(layer: tf.layers.Layer, x: tf.Tensor, needsInputGradient: boolean): tf.Tensor | null {
  const c = layer.getConfig() as Conv2DConfig;
  const ones = (v: number | number[] | undefined) => v === undefined || [v].flat().every((n) => n === 1);
  const supported =
    ones(c.strides) &&
    ones(c.dilationRate) &&
    c.padding === 'same' &&
    (c.dataFormat ?? 'channelsLast') === 'channelsLast' &&
    (c.kernelSize ?? []).every((k) => k % 2 === 1) &&
    (c.activation === 'relu' || c.activation === 'linear');
  if (!supported) return null;
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read());
  let y: tf.Tensor = conv2dTrainable(x as tf.Tensor4D, kernel as tf.Tensor4D, needsInputGradient);
  if (c.useBias !== false && bias) y = y.add(bias);
  return c.activation === 'relu' ? tf.relu(y) : y;
}
