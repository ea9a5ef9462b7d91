// Signal processing: DFT (opsets 17, 20), STFT (17), HannWindow,
// HammingWindow, BlackmanWindow and MelWeightMatrix (17).
//
// Complex values use a trailing axis of size 2 (real, imaginary); a trailing
// axis of size 1 holds a real signal. Transforms are computed directly (no
// FFT) in double precision with an exact twiddle table.
#include "interp/KernelUtil.h"
#include "shape/ops/Signal.h"

#include <cmath>
#include <complex>

namespace edgec {
namespace {

using Complex = std::complex<double>;

constexpr double kPi = 3.14159265358979323846;

/// Upper bound on the multiply-adds of one node (the direct DFT is O(n^2);
/// the length bound is kMaxDftLength).
constexpr double kMaxDftWork = 4e9;

Status checkDftWork(const NodeContext &ctx, double transforms, double n,
                    double outLen) {
  if (transforms * n * outLen > kMaxDftWork)
    return ctx.unsupported("transform too large for the direct DFT");
  return Status::ok();
}

/// DFT of `in` (length n) with sign -1 (forward) or +1 (inverse, unscaled),
/// returning the first `outLen` bins.
void dft(const std::vector<Complex> &in, int64_t n, int sign, int64_t outLen,
         std::vector<Complex> &out, const std::vector<Complex> &twiddle) {
  out.assign((size_t)outLen, Complex());
  for (int64_t k = 0; k < outLen; ++k) {
    Complex acc;
    for (int64_t t = 0; t < n; ++t) {
      Complex w = twiddle[(size_t)((k * t) % n)];
      acc += in[t] * (sign < 0 ? w : std::conj(w));
    }
    out[k] = acc;
  }
}

std::vector<Complex> twiddles(int64_t n) {
  std::vector<Complex> tw((size_t)n);
  for (int64_t i = 0; i < n; ++i) {
    double a = -2.0 * kPi * (double)i / (double)n;
    tw[i] = Complex(std::cos(a), std::sin(a));
  }
  return tw;
}

Status runDft(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  if (!isFloatType(x.dtype())) return ctx.error("input must be float");
  int64_t rank = (int64_t)x.rank();
  if (rank < 2 || (x.dim(rank - 1) != 1 && x.dim(rank - 1) != 2))
    return ctx.error("input must end in an axis of size 1 or 2");
  bool complexIn = x.dim(rank - 1) == 2;
  EDGEC_ASSIGN_OR_RETURN(
      DftArgs a,
      dftArgs(ctx, rank, ctx.hasInput(1) ? &ctx.input(1) : nullptr,
              ctx.opset() >= 20 && ctx.hasInput(2) ? &ctx.input(2) : nullptr));
  int64_t inLen = x.dim(a.axis);
  bool irfft = a.inverse && a.onesided;
  if (a.onesided && !a.inverse && complexIn)
    return ctx.error("onesided forward DFT needs a real input");
  int64_t n = a.length >= 0 ? a.length
                            : (irfft ? 2 * (inLen - 1) : inLen);
  if (n < 1 || n > kMaxDftLength)
    return ctx.error("dft length " + std::to_string(n) + " is out of range");
  int64_t outLen = irfft ? n : (a.onesided ? n / 2 + 1 : n);
  TensorShape outShape = x.shape();
  outShape[a.axis] = outLen;
  outShape[rank - 1] = irfft ? 1 : 2;
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), outShape));
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < a.axis; ++i) outer *= x.dim(i);
  for (int64_t i = a.axis + 1; i < rank - 1; ++i) inner *= x.dim(i);
  int64_t cin = x.dim(rank - 1), cout = outShape[rank - 1];
  EDGEC_TRY(checkDftWork(ctx, double(outer * inner), (double)n,
                         (double)outLen));
  std::vector<double> xv = x.toDoubleVector();
  std::vector<Complex> tw = twiddles(n), sig((size_t)n), res;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto inAt = [&](int64_t k) {
        int64_t base = ((o * inLen + k) * inner + i) * cin;
        return Complex(xv[base], complexIn ? xv[base + 1] : 0.0);
      };
      if (irfft) {
        // Rebuild the Hermitian spectrum from the one-sided half.
        for (int64_t k = 0; k < n; ++k) {
          int64_t src = k <= n / 2 ? k : n - k;
          Complex v = src < inLen ? inAt(src) : Complex();
          sig[k] = k <= n / 2 ? v : std::conj(v);
        }
      } else {
        for (int64_t k = 0; k < n; ++k)
          sig[k] = k < inLen ? inAt(k) : Complex();
      }
      dft(sig, n, a.inverse ? 1 : -1, outLen, res, tw);
      for (int64_t k = 0; k < outLen; ++k) {
        Complex v = a.inverse ? res[k] / (double)n : res[k];
        int64_t base = ((o * outLen + k) * inner + i) * cout;
        out.setDouble(base, v.real());
        if (cout == 2) out.setDouble(base + 1, v.imag());
      }
    }
  ctx.outputs[0] = out;
  return Status::ok();
}

// ---------------------------------------------------------------- STFT

Status runStft(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  if (!isFloatType(x.dtype())) return ctx.error("signal must be float");
  if (x.rank() != 3 || (x.dim(2) != 1 && x.dim(2) != 2))
    return ctx.error("signal must have shape [batch, length, 1 or 2]");
  bool complexIn = x.dim(2) == 2;
  if (ctx.input(1).numElements() != 1)
    return ctx.error("frame_step must be a scalar");
  int64_t step = ctx.input(1).getInt64(0);
  std::vector<double> window;
  if (ctx.hasInput(2)) window = ctx.input(2).toDoubleVector();
  int64_t frameLen = -1;
  if (ctx.hasInput(3)) {
    if (ctx.input(3).numElements() != 1)
      return ctx.error("frame_length must be a scalar");
    frameLen = ctx.input(3).getInt64(0);
  }
  if (frameLen < 0) {
    if (window.empty())
      return ctx.error("one of window and frame_length must be given");
    frameLen = (int64_t)window.size();
  }
  if (!window.empty() && (int64_t)window.size() != frameLen)
    return ctx.error("window length differs from frame_length");
  int64_t B = x.dim(0), L = x.dim(1);
  if (step < 1) return ctx.error("frame_step must be positive");
  if (frameLen < 1 || frameLen > L || frameLen > kMaxDftLength)
    return ctx.error("frame_length " + std::to_string(frameLen) +
                     " is out of range for a signal of length " +
                     std::to_string(L));
  bool onesided = ctx.attrInt("onesided", 1) != 0;
  if (onesided && complexIn)
    return ctx.error("onesided STFT needs a real signal");
  int64_t frames = 1 + (L - frameLen) / step;
  int64_t bins = onesided ? frameLen / 2 + 1 : frameLen;
  EDGEC_ASSIGN_OR_RETURN(Tensor out,
                         Tensor::create(x.dtype(), {B, frames, bins, 2}));
  EDGEC_TRY(checkDftWork(ctx, double(B * frames), (double)frameLen,
                         (double)bins));
  std::vector<double> xv = x.toDoubleVector();
  std::vector<Complex> tw = twiddles(frameLen), sig((size_t)frameLen), res;
  int64_t c = x.dim(2);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t f = 0; f < frames; ++f) {
      for (int64_t k = 0; k < frameLen; ++k) {
        int64_t base = (b * L + f * step + k) * c;
        double w = window.empty() ? 1.0 : window[k];
        sig[k] = Complex(xv[base], complexIn ? xv[base + 1] : 0.0) * w;
      }
      dft(sig, frameLen, -1, bins, res, tw);
      for (int64_t k = 0; k < bins; ++k) {
        int64_t base = ((b * frames + f) * bins + k) * 2;
        out.setDouble(base, res[k].real());
        out.setDouble(base + 1, res[k].imag());
      }
    }
  ctx.outputs[0] = out;
  return Status::ok();
}

// ---------------------------------------------------------------- Windows

enum class Window { Hann, Hamming, Blackman };

Status runWindow(KernelContext &ctx, Window kind) {
  if (ctx.input(0).numElements() != 1)
    return ctx.error("size must be a scalar");
  int64_t n = ctx.input(0).getInt64(0);
  if (n < 0) return ctx.error("size must not be negative");
  EDGEC_ASSIGN_OR_RETURN(DataType dt, outputDatatype(ctx, 1));
  bool periodic = ctx.attrInt("periodic", 1) != 0;
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(dt, {n}));
  double denom = periodic ? (double)n : (double)(n - 1);
  for (int64_t i = 0; i < n; ++i) {
    double a = denom > 0 ? 2.0 * kPi * (double)i / denom : 0.0;
    double v;
    switch (kind) {
    case Window::Hann: v = 0.5 - 0.5 * std::cos(a); break;
    case Window::Hamming: v = 25.0 / 46 - 21.0 / 46 * std::cos(a); break;
    case Window::Blackman:
      v = 0.42 - 0.5 * std::cos(a) + 0.08 * std::cos(2 * a);
      break;
    }
    out.setDouble(i, v);
  }
  ctx.outputs[0] = out;
  return Status::ok();
}

// ---------------------------------------------------------- MelWeightMatrix
//
// Triangular filters between mel-spaced points (mel = 2595 log10(1 +
// f / 700)); num_mel_bins + 2 points are spaced by (high - low) /
// (num_mel_bins + 2) mel, converted to spectrogram bins with
// floor((dft_length + 1) * f / sample_rate), as in the ONNX reference.

Status runMelWeightMatrix(KernelContext &ctx) {
  for (size_t i = 0; i < 5; ++i)
    if (ctx.input(i).numElements() != 1)
      return ctx.error("all inputs must be scalars");
  int64_t mels = ctx.input(0).getInt64(0);
  int64_t dftLen = ctx.input(1).getInt64(0);
  int64_t rate = ctx.input(2).getInt64(0);
  double lo = ctx.input(3).getDouble(0), hi = ctx.input(4).getDouble(0);
  if (mels < 0 || dftLen < 1 || rate <= 0)
    return ctx.error("num_mel_bins, dft_length and sample_rate must be "
                     "positive");
  if (mels > (int64_t(1) << 24) || dftLen > (int64_t(1) << 30))
    return ctx.error("num_mel_bins or dft_length is too large");
  EDGEC_ASSIGN_OR_RETURN(DataType dt, outputDatatype(ctx, 1));
  int64_t specBins = dftLen / 2 + 1;
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(dt, {specBins, mels}));
  auto toMel = [](double f) { return 2595.0 * std::log10(1 + f / 700.0); };
  double lowMel = toMel(lo), highMel = toMel(hi);
  double step = (highMel - lowMel) / double(mels + 2);
  std::vector<int64_t> pts((size_t)(mels + 2));
  for (int64_t i = 0; i < mels + 2; ++i) {
    double mel = (double)i * step + lowMel;
    double hz = 700.0 * (std::pow(10.0, mel / 2595.0) - 1);
    double bin = std::floor((double)(dftLen + 1) * hz / (double)rate);
    if (!(bin >= 0 && bin < (double)specBins))
      return ctx.error("mel filter edge falls outside the spectrogram");
    pts[i] = (int64_t)bin;
  }
  std::vector<double> w((size_t)(specBins * mels), 0.0);
  for (int64_t m = 0; m < mels; ++m) {
    int64_t l = pts[m], c = pts[m + 1], h = pts[m + 2];
    if (c == l) {
      w[c * mels + m] = 1;
    } else {
      for (int64_t j = l; j <= c; ++j)
        w[j * mels + m] = double(j - l) / double(c - l);
    }
    if (h > c)
      for (int64_t j = c; j < h; ++j)
        w[j * mels + m] = double(h - j) / double(h - c);
  }
  for (int64_t i = 0; i < out.numElements(); ++i) out.setDouble(i, w[i]);
  ctx.outputs[0] = out;
  return Status::ok();
}

} // namespace

void registerSignalKernels(KernelRegistry &r) {
  r.add("DFT", runDft);
  r.add("STFT", runStft);
  r.add("HannWindow",
        [](KernelContext &c) { return runWindow(c, Window::Hann); });
  r.add("HammingWindow",
        [](KernelContext &c) { return runWindow(c, Window::Hamming); });
  r.add("BlackmanWindow",
        [](KernelContext &c) { return runWindow(c, Window::Blackman); });
  r.add("MelWeightMatrix", runMelWeightMatrix);
}

} // namespace edgec
