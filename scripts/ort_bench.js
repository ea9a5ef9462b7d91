#!/usr/bin/env node
// Median latency of ONNX Runtime (onnxruntime-node, CPU, one thread) on a
// model with constant inputs (0.5 for floats, 1 for integers), for the
// benchmarks in docs/performance.md. Benchmark helper only.
//
//   node scripts/ort_bench.js MODEL.onnx [RUNS] [--shape NAME=d0,d1,...]
// prints "ort_median_ms=X ort_min_ms=Y runs=N"; exit 77 without onnxruntime-node.
'use strict';
let ort;
try { ort = require('onnxruntime-node'); } catch (e) { process.exit(77); }

async function main() {
  const args = process.argv.slice(2);
  const model = args[0];
  let runs = 20;
  const shapes = {};
  for (let i = 1; i < args.length; ++i) {
    if (args[i] === '--shape') {
      const [n, d] = args[++i].split('=');
      shapes[n] = d.split(',').map(Number);
    } else runs = Number(args[i]);
  }
  const s = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all'});
  const feeds = {};
  for (const name of s.inputNames) {
    const meta = s.inputMetadata ? s.inputMetadata.find((m) => m.name === name) : null;
    let dims = shapes[name] || (meta && meta.shape ? meta.shape.map((d) => (typeof d === 'number' ? d : 1)) : [1]);
    const type = meta && meta.type ? meta.type : 'float32';
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[name] = type === 'float32' ? new ort.Tensor('float32', new Float32Array(n).fill(0.5), dims)
                                     : new ort.Tensor(type, new (type === 'int8' ? Int8Array : Uint8Array)(n).fill(1), dims);
  }
  for (let w = 0; w < 3; ++w) await s.run(feeds);
  const t = [];
  for (let r = 0; r < runs; ++r) {
    const t0 = process.hrtime.bigint();
    await s.run(feeds);
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  t.sort((a, b) => a - b);
  console.log(`ort_median_ms=${t[Math.floor(runs / 2)].toFixed(4)} ort_min_ms=${t[0].toFixed(4)} runs=${runs}`);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
