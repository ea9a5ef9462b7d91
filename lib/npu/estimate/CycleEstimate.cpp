#include "npu/estimate/CycleEstimate.h"

#include "npu/estimate/OutputCycles.h"

#include <algorithm>
#include <cmath>

namespace edgec::npu {

const char *memoryLabel(Memory m) {
  static const char *const names[] = {"SRAM", "DRAM", "On-chip Flash", "Off-chip Flash"};
  return names[size_t(m)];
}
const char *memoryKey(Memory m) {
  static const char *const names[] = {"sram", "dram", "on_chip_flash", "off_chip_flash"};
  return names[size_t(m)];
}

namespace {

constexpr unsigned kPoolReduceSum = 2;
constexpr int kSubKernel = kSubKernelMax; ///< largest sub-kernel side

int64_t ceilDiv(int64_t a, int64_t b) { return b > 0 ? (a + b - 1) / b : 0; }

bool isReduceSum(const Operation &op) { return op.type == OpType::Pool && op.mode == kPoolReduceSum; }
/// Conv (fully connected included) and reduce-sum walk the whole IFM depth
/// for each OFM block.
bool readsWholeIfmDepth(const Operation &op) { return op.type == OpType::Conv || isReduceSum(op); }

int64_t elements(const FeatureMap &f) { return int64_t(f.height) * f.width * f.depth; }

/// Bytes per core cycle of memory m.
double bytesPerCycle(const AcceleratorConfig &acc, const MemorySystem &mem, Memory m) {
  return acc.axiBytes * mem.on(m).clockScale;
}

struct Block {
  int h = 1, w = 1, d = 1;
  int64_t elements() const { return int64_t(h) * w * d; }
};

/// The OFM block the stream's block-config registers give, within the OFM.
Block ofmBlock(const Operation &op) {
  return {std::max(1, std::min(op.blockH, op.ofm.height)), std::max(1, std::min(op.blockW, op.ofm.width)),
          std::max(1, std::min(op.blockD, op.ofm.depth))};
}

int ifmBlockDepth(const Operation &op, const Block &ofm) {
  int d = ofm.d;
  if (readsWholeIfmDepth(op))
    d = op.ifm.elemBytes == 2 || op.partKernelFirst ? 16 : op.ifm.elemBytes == 1 ? 32 : 8;
  return std::max(1, std::min(op.ifm.depth, d));
}

/// The IFM area one OFM block reads: (block - 1) x stride + dilated kernel.
Block ifmBlock(const Operation &op, const Block &ofm) {
  const int kh = (op.kernelH - 1) * op.dilationY + 1, kw = (op.kernelW - 1) * op.dilationX + 1;
  Block b;
  b.h = std::min(op.ifm.height, (ofm.h - 1) * op.strideY + kh);
  b.w = std::min(op.ifm.width, (ofm.w - 1) * op.strideX + kw);
  b.d = ifmBlockDepth(op, ofm);
  return {std::max(1, b.h), std::max(1, b.w), b.d};
}

/// The burst one block access of feature map `f` makes (bytes), after
/// Vela's transfer-efficiency rules: contiguous when the block spans the
/// whole depth, else a brick row (NHCWB16) or a depth run (NHWC).
int64_t burstBytes(const FeatureMap &f, const Block &b, bool write, int cores) {
  const int64_t e = f.elemBytes;
  if (f.brick16) {
    if (f.depth == b.d) return e * b.d * b.w;
    return 16 * e * b.w * (write ? cores : 1);
  }
  if (!write) return f.depth == b.d ? e * b.d * b.w : e * b.d;
  if (b.d <= 16 && f.depth == b.d) return e * b.d * b.w;
  return std::min<int64_t>({64, 16 * e * cores, b.d * e});
}

/// Bytes scaled by the burst efficiency of memory m.
double scaleByBurst(double bytes, int64_t burst, const MemorySystem &mem, Memory m) {
  const int64_t len = std::max<int64_t>(1, mem.on(m).burstLength);
  const int64_t used = std::max<int64_t>(1, std::min(len, burst));
  return bytes * double(len) / double(used);
}

/// Vela's per-command overhead: latencies and one IFM and one OFM block
/// transfer, plus the work, over four (A.8).
double commandCycles(const Operation &op, const Block &ifm, const Block &ofm, double work,
                     const AcceleratorConfig &acc, const MemorySystem &mem) {
  const Memory im = mem.ofRegion(op.ifm.region), om = mem.ofRegion(op.ofm.region);
  const double ib = scaleByBurst(double(ifm.elements() * op.ifm.elemBytes),
                                 int64_t(op.ifm.elemBytes) * ifm.d * ifm.w, mem, im);
  const double ob = scaleByBurst(double(ofm.elements() * op.ofm.elemBytes),
                                 int64_t(op.ofm.elemBytes) * ofm.d * ofm.w, mem, om);
  return (double(mem.on(im).readLatency) + ib / bytesPerCycle(acc, mem, im) + work +
          double(mem.on(om).writeLatency) + ob / bytesPerCycle(acc, mem, om)) /
         4;
}

double elementwiseCycles(const Operation &op, const AcceleratorConfig &acc, const MemorySystem &mem) {
  const int64_t depth = op.ofm.brick16 ? ceilDiv(op.ofm.depth, 16) * 16 : op.ofm.depth;
  const int64_t elems = int64_t(op.ofm.height) * op.ofm.width * depth;
  double perElem = outputCyclesPerElement(op, acc);
  const Block b = ofmBlock(op);
  const double cmd = commandCycles(op, b, b, double(b.elements()) * perElem, acc, mem);
  perElem = std::max(perElem, cmd / double(b.elements()));
  return double(elems) * perElem;
}

double blockCycles(const Operation &op, const AcceleratorConfig &acc, const MemorySystem &mem) {
  int uw = acc.ofmMicroBlock.width, uh = acc.ofmMicroBlock.height;
  const int ud = acc.ofmMicroBlock.depth;
  Block ofm = ofmBlock(op);
  // One-row OFMs of even width with one-row kernels use 4x1 micro-blocks
  // on the configurations whose micro-block is two high.
  if (uh == 2 && (op.type == OpType::Conv || op.type == OpType::Depthwise) && op.ofm.height == 1 &&
      op.ofm.width % 2 == 0 && op.kernelH == 1) {
    uw = 4, uh = 1, ofm.h = 1;
  }
  const Block ifm = ifmBlock(op, ofm);
  const int64_t ublkX = ceilDiv(ofm.w, uw), ublkY = std::max<int64_t>(1, ofm.h / uh);
  const int64_t ublkXY = ublkX * ublkY, ublkZ = std::max<int64_t>(1, ofm.d / ud);
  const bool int16 = op.ifm.elemBytes == 2;
  const bool acc40 = outputClass(op) == OutputClass::MulOrAcc40;
  const double weightDecode = 32.0 * ud / 8;
  const bool u55_32 = acc.macsPerCycle == 32;

  // Sub-kernels of at most 8x8: at most four distinct sizes (full, the
  // right column, the bottom row, the corner), each with its count.
  struct SubKernels {
    int64_t elems, count;
  };
  const int fullY = op.kernelH / kSubKernel, restY = op.kernelH % kSubKernel;
  const int fullX = op.kernelW / kSubKernel, restX = op.kernelW % kSubKernel;
  const SubKernels subs[] = {{int64_t(kSubKernel) * kSubKernel, int64_t(fullY) * fullX},
                             {int64_t(kSubKernel) * restX, restX ? fullY : 0},
                             {int64_t(restY) * kSubKernel, restY ? fullX : 0},
                             {int64_t(restY) * restX, restY && restX ? 1 : 0}};
  double dpu = 0;
  for (const SubKernels &sk : subs) {
    if (sk.count == 0 || sk.elems == 0) continue;
    const int64_t elems = sk.elems;
    int64_t steps = 1;
    double cycles = 0;
    if (op.type == OpType::Pool && !isReduceSum(op)) {
      cycles = double(std::max<int64_t>(4, elems) * ublkXY * ublkZ) * (int16 && !u55_32 ? 2 : 1);
    } else if (op.type == OpType::Depthwise) {
      steps = ceilDiv(elems, 4);
      cycles = std::max(weightDecode, 4.0 * double(ublkXY) * (int16 ? 2 : 1)) * double(steps * ublkZ);
    } else if (op.type == OpType::Conv && op.partKernelFirst) {
      steps = ceilDiv(elems, int16 ? 2 : 4);
      cycles = std::max(weightDecode, 4.0 * double(ublkXY)) * double(steps * ceilDiv(ifm.d, 8) * ublkZ);
    } else { // depth-first conv, fully connected, reduce-sum
      steps = elems;
      cycles = std::max(weightDecode, 4.0 * double(ublkXY)) * double(steps * ublkZ);
    }
    // Pipeline delay when the block is a single micro-block in x and y.
    const int delay = u55_32 ? (acc40 ? 7 : 3) : (acc40 && acc.macsPerCycle <= 128 ? 3 : 2);
    double delayCycles = 0;
    if (ublkX == 1 && ublkY == 1) {
      if (ublkZ == 1) delayCycles = double(delay * steps);
      else if (steps > 1) delayCycles = double(delay * (steps - 1) * ublkZ);
    }
    if (u55_32 && (ublkX == 1 || ublkY == 1) && ublkZ > 1 && acc40) delayCycles += double(delay * ublkZ);
    if (op.type == OpType::Conv && op.partKernelFirst) delayCycles *= double(ceilDiv(ifm.d, 8));
    dpu += (cycles + delayCycles) * double(sk.count);
  }
  if (readsWholeIfmDepth(op)) dpu *= double(ceilDiv(op.ifm.depth, ifm.d));
  dpu /= acc.cores;

  const int64_t blocks = ceilDiv(op.ofm.height, ofm.h) * ceilDiv(op.ofm.width, ofm.w) * ceilDiv(op.ofm.depth, ofm.d);
  double output = outputCyclesPerElement(op, acc) * double(ofm.elements());
  if (op.scaleLength > 0 && !op.globalScale) {
    const Memory sm = mem.ofRegion(op.scaleRegion);
    output = std::max(output, 10.0 * std::min(ofm.d, op.ofm.depth) * double(mem.on(sm).readLatency) / 256);
  }
  const double cmd = commandCycles(op, ifm, ofm, dpu + output, acc, mem);
  dpu = std::max(dpu, cmd);
  output = std::max(output, cmd);
  return std::max(dpu, output) * double(blocks) + std::min(dpu, output);
}

} // namespace

double estimateComputeCycles(const Operation &op, const AcceleratorConfig &acc, const MemorySystem &mem) {
  if (op.type == OpType::DmaStart) return 0;
  if (op.type == OpType::Elementwise) return elementwiseCycles(op, acc, mem);
  return blockCycles(op, acc, mem);
}

int64_t operationMacs(const Operation &op) {
  const double kernel = double(op.kernelH) * op.kernelW, ofm = double(elements(op.ofm));
  double macs = 0;
  switch (op.type) {
  case OpType::Conv: macs = ofm * kernel * op.ifm.depth; break;
  case OpType::Depthwise: macs = ofm * kernel; break;
  case OpType::Pool: macs = ofm * kernel * (isReduceSum(op) ? op.ifm.depth : 1); break;
  default: break;
  }
  return macs < 9e18 ? int64_t(macs) : int64_t(9e18); // saturated for absurd descriptors
}

OpTraffic estimateTraffic(const Operation &op, const AcceleratorConfig &acc, const MemorySystem &mem) {
  OpTraffic t;
  auto add = [&](Memory m, double bytes, int64_t burst, double MemoryTraffic::*field) {
    (t.bytes[size_t(m)].*field) += bytes;
    t.scaledBytes[size_t(m)] += burst > 0 ? scaleByBurst(bytes, burst, mem, m) : bytes;
  };
  if (op.type == OpType::DmaStart) return t;
  const Block ofm = ofmBlock(op);
  const Block ifm = op.type == OpType::Elementwise ? ofm : ifmBlock(op, ofm);
  const int64_t blocksXY = ceilDiv(op.ofm.height, ofm.h) * ceilDiv(op.ofm.width, ofm.w);
  const int64_t blocksZ = ceilDiv(op.ofm.depth, ofm.d);
  const int cores = acc.cores;

  // IFM: re-read per OFM block (conv and reduce-sum: the whole depth).
  double ifmBytes;
  if (op.type == OpType::Elementwise) ifmBytes = double(elements(op.ofm) * op.ifm.elemBytes);
  else {
    const int64_t depth = readsWholeIfmDepth(op) ? op.ifm.depth : ofm.d;
    ifmBytes = double(int64_t(ifm.h) * ifm.w * depth) * double(blocksXY) * double(blocksZ) * op.ifm.elemBytes;
  }
  add(mem.ofRegion(op.ifm.region), ifmBytes, burstBytes(op.ifm, ifm, false, cores), &MemoryTraffic::featureMapRead);
  if (op.hasIfm2 && !op.ifm2IsScalar) {
    const FeatureMap &f = op.ifm2;
    const int64_t h = op.broadcastH ? 1 : op.ofm.height, w = op.broadcastW ? 1 : op.ofm.width,
                  d = op.broadcastC ? 1 : op.ofm.depth;
    add(mem.ofRegion(f.region), double(h * w * d * f.elemBytes), burstBytes(f, ofm, false, cores),
        &MemoryTraffic::featureMapRead);
  }
  add(mem.ofRegion(op.ofm.region), double(elements(op.ofm) * op.ofm.elemBytes),
      burstBytes(op.ofm, ofm, true, cores), &MemoryTraffic::featureMapWrite);
  // Weights: re-read for each OFM block position in x and y; scales once.
  const double weights = double(op.weightLength) + double(op.weight1Length);
  if (weights > 0) add(mem.ofRegion(op.weightRegion), weights * double(blocksXY), 0, &MemoryTraffic::weightRead);
  const double scales = double(op.scaleLength) + double(op.scale1Length);
  if (scales > 0) add(mem.ofRegion(op.scaleRegion), scales, 0, &MemoryTraffic::weightRead);
  return t;
}

namespace {

constexpr unsigned kDmaInternal = 0x100; ///< region field bit: the internal buffer
constexpr unsigned kDmaRegionMask = 0x7;

struct PendingDma {
  bool internal = false;
  int region = 0;
  uint64_t begin = 0, end = 0;
  double done = 0;
};

bool overlaps(const PendingDma &d, int region, uint64_t base, uint64_t length) {
  return !d.internal && d.region == region && length > 0 && base < d.end && d.begin < base + length;
}

bool readsDestination(const Operation &op, const PendingDma &d) {
  if (d.internal) return op.activation >= 16; // a lookup table
  auto fmReads = [&](const FeatureMap &f) {
    for (uint64_t b : f.base)
      if (overlaps(d, f.region, b, 1)) return true;
    return false;
  };
  return overlaps(d, op.weightRegion, op.weightBase, op.weightLength) ||
         overlaps(d, op.weightRegion, op.weight1Base, op.weight1Length) ||
         overlaps(d, op.scaleRegion, op.scaleBase, op.scaleLength) ||
         overlaps(d, op.scaleRegion, op.scale1Base, op.scale1Length) || fmReads(op.ifm) ||
         (op.hasIfm2 && !op.ifm2IsScalar && fmReads(op.ifm2));
}

} // namespace

NetworkEstimate estimateNetwork(const std::vector<Operation> &ops, const AcceleratorConfig &acc,
                                const MemorySystem &mem) {
  NetworkEstimate net;
  net.coreClockHz = mem.coreClockHz;
  std::vector<PendingDma> pending;
  // now: when the last block operation ends; issued: when it started (the
  // command processor dispatches it and goes on to the next command, so a
  // DMA after it in the stream runs beside it).
  double now = 0, issued = 0, dmaFree = 0;
  for (const Operation &op : ops) {
    if (op.type == OpType::DmaStart) {
      // The DMA engine works through its queue beside the operations; its
      // bytes count as weight traffic, its time only where an operation
      // waits for it.
      ++net.dmaCount;
      PendingDma d;
      d.internal = (op.dmaDstRegion & kDmaInternal) != 0;
      d.region = int(op.dmaDstRegion & kDmaRegionMask);
      d.begin = op.dmaDst;
      d.end = op.dmaDst + op.dmaLength;
      const Memory src = mem.ofRegion(int(op.dmaSrcRegion & kDmaRegionMask));
      const double bytes = double(op.dmaLength);
      double cycles = double(mem.on(src).readLatency) + bytes / bytesPerCycle(acc, mem, src);
      net.traffic[size_t(src)].weightRead += bytes;
      if (!d.internal) {
        const Memory dst = mem.ofRegion(d.region);
        cycles = std::max(cycles, double(mem.on(dst).writeLatency) + bytes / bytesPerCycle(acc, mem, dst));
        net.traffic[size_t(dst)].weightWrite += bytes;
      }
      d.done = std::max(issued, dmaFree) + cycles;
      dmaFree = d.done;
      pending.push_back(d);
      continue;
    }
    OpEstimate e;
    e.index = op.index;
    e.name = operationName(op);
    double ready = now;
    for (const PendingDma &d : pending)
      if (readsDestination(op, d)) ready = std::max(ready, d.done);
    e.npuCycles = estimateComputeCycles(op, acc, mem) + (ready - now);
    const OpTraffic t = estimateTraffic(op, acc, mem);
    e.traffic = t.bytes;
    e.totalCycles = e.npuCycles;
    for (size_t m = 0; m < kMemories; ++m) {
      e.accessCycles[m] = t.scaledBytes[m] / bytesPerCycle(acc, mem, Memory(m));
      e.totalCycles = std::max(e.totalCycles, e.accessCycles[m]);
    }
    e.macs = operationMacs(op);
    const double peak = e.totalCycles * acc.macsPerCycle * acc.cores;
    e.utilisation = peak > 0 ? double(e.macs) / peak : 0;
    issued = ready;
    now += e.totalCycles;
    pending.erase(std::remove_if(pending.begin(), pending.end(), [&](const PendingDma &d) { return d.done <= now; }),
                  pending.end());
    net.npuCycles += e.npuCycles;
    net.totalCycles += e.totalCycles;
    net.macs += e.macs;
    for (size_t m = 0; m < kMemories; ++m) {
      net.accessCycles[m] += e.accessCycles[m];
      MemoryTraffic &n = net.traffic[m];
      n.featureMapRead += t.bytes[m].featureMapRead;
      n.featureMapWrite += t.bytes[m].featureMapWrite;
      n.weightRead += t.bytes[m].weightRead;
      n.weightWrite += t.bytes[m].weightWrite;
    }
    net.ops.push_back(std::move(e));
  }
  return net;
}

} // namespace edgec::npu
