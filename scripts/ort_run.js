#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (onnxruntime-node) on serialized
// onnx.TensorProto inputs and writes the outputs as TensorProto files.
//
//   node scripts/ort_run.js --check
//       exit 0 when onnxruntime-node loads, 77 when it is missing
//   node scripts/ort_run.js MODEL.onnx OUT_DIR [input_0.pb ...]
//       feeds the inputs to the session's inputs in order (or by the
//       tensors' names when the counts differ) and writes
//       OUT_DIR/output_<i>.pb in the session's output order
//
// onnxruntime-node is looked up from this script's folder upwards, i.e. in
// the repository's node_modules (npm install --ignore-scripts
// onnxruntime-node). Exit codes: 0 ok, 1 failure, 2 usage, 77 no runtime.
'use strict';

const fs = require('fs');
const path = require('path');

function loadOrt() {
  try {
    return require('onnxruntime-node');
  } catch (e) {
    return null;
  }
}

// --- minimal protobuf reader/writer for onnx.TensorProto ------------------

class Reader {
  constructor(buf) {
    this.buf = buf;
    this.pos = 0;
  }
  done() { return this.pos >= this.buf.length; }
  varint() { // as BigInt
    let result = 0n, shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  }
  bytes() {
    const n = Number(this.varint());
    if (this.pos + n > this.buf.length) throw new Error('truncated field');
    const r = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  skip(wire) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error('unsupported wire type ' + wire);
  }
}

const signed64 = (v) => BigInt.asIntN(64, v);

// Repeated scalar field: packed (wire 2) or one element per tag.
function readRepeated(r, wire, packedWire, readOne, out) {
  if (wire === 2 && packedWire !== 2) {
    const sub = new Reader(r.bytes());
    while (!sub.done()) out.push(readOne(sub));
  } else {
    out.push(readOne(r));
  }
}

const readFloat = (r) => { const v = r.buf.readFloatLE(r.pos); r.pos += 4; return v; };
const readDouble = (r) => { const v = r.buf.readDoubleLE(r.pos); r.pos += 8; return v; };

function parseTensorProto(buf) {
  const t = { dims: [], dataType: 0, name: '', raw: null, floats: [],
              int32s: [], int64s: [], doubles: [], uint64s: [], external: false };
  const r = new Reader(buf);
  while (!r.done()) {
    const key = Number(r.varint());
    const field = key >>> 3, wire = key & 7;
    switch (field) {
      case 1: readRepeated(r, wire, 0, (s) => signed64(s.varint()), t.dims); break;
      case 2: t.dataType = Number(r.varint()); break;
      case 4: readRepeated(r, wire, 5, readFloat, t.floats); break;
      case 5: readRepeated(r, wire, 0, (s) => Number(BigInt.asIntN(32, s.varint())), t.int32s); break;
      case 7: readRepeated(r, wire, 0, (s) => signed64(s.varint()), t.int64s); break;
      case 8: t.name = r.bytes().toString('utf8'); break;
      case 9: t.raw = Buffer.from(r.bytes()); break;
      case 10: readRepeated(r, wire, 1, readDouble, t.doubles); break;
      case 11: readRepeated(r, wire, 0, (s) => s.varint(), t.uint64s); break;
      case 14: t.external = Number(r.varint()) === 1; break;
      default: r.skip(wire);
    }
  }
  return t;
}

// onnx TensorProto.DataType -> [ort type, typed array, typed field]
const TYPES = {
  1: ['float32', Float32Array, 'floats'],
  2: ['uint8', Uint8Array, 'int32s'],
  3: ['int8', Int8Array, 'int32s'],
  4: ['uint16', Uint16Array, 'int32s'],
  5: ['int16', Int16Array, 'int32s'],
  6: ['int32', Int32Array, 'int32s'],
  7: ['int64', BigInt64Array, 'int64s'],
  9: ['bool', Uint8Array, 'int32s'],
  10: ['float16', Uint16Array, 'int32s'],
  11: ['float64', Float64Array, 'doubles'],
  12: ['uint32', Uint32Array, 'uint64s'],
  13: ['uint64', BigUint64Array, 'uint64s'],
};
const ORT_TO_ONNX = {};
for (const [k, v] of Object.entries(TYPES)) ORT_TO_ONNX[v[0]] = Number(k);

function toOrtTensor(ort, t, what) {
  const info = TYPES[t.dataType];
  if (!info) throw new Error(`${what}: element type ${t.dataType} is not supported`);
  if (t.external) throw new Error(`${what}: external data is not supported`);
  const [type, Arr, fieldName] = info;
  const dims = t.dims.map(Number);
  const n = dims.reduce((a, b) => a * b, 1);
  let data;
  if (t.raw) {
    if (t.raw.length !== n * Arr.BYTES_PER_ELEMENT)
      throw new Error(`${what}: raw_data has ${t.raw.length} bytes, expected ${n * Arr.BYTES_PER_ELEMENT}`);
    // Copy into an aligned buffer.
    const copy = new ArrayBuffer(t.raw.length);
    new Uint8Array(copy).set(t.raw);
    data = new Arr(copy);
  } else {
    const src = t[fieldName];
    if (src.length !== n) throw new Error(`${what}: ${src.length} values, expected ${n}`);
    data = new Arr(n);
    for (let i = 0; i < n; ++i) {
      let v = src[i];
      if (Arr === BigInt64Array) v = BigInt.asIntN(64, BigInt(v));
      else if (Arr === BigUint64Array) v = BigInt.asUintN(64, BigInt(v));
      else if (typeof v === 'bigint') v = Number(v);
      data[i] = v;
    }
  }
  if (type === 'bool') data = Uint8Array.from(data, (v) => (v ? 1 : 0));
  return new ort.Tensor(type, data, dims);
}

function writeVarint(out, v) {
  let x = BigInt.asUintN(64, BigInt(v));
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
}

function encodeTensorProto(tensor, name) {
  const type = ORT_TO_ONNX[tensor.type];
  if (!type) throw new Error(`output ${name}: type ${tensor.type} is not supported`);
  const head = [];
  for (const d of tensor.dims) { head.push(0x08); writeVarint(head, d); }
  head.push(0x10); writeVarint(head, type);
  const nameBytes = Buffer.from(name, 'utf8');
  head.push(0x42); writeVarint(head, nameBytes.length);
  let data = tensor.data;
  if (tensor.type === 'bool') data = Uint8Array.from(data, (v) => (v ? 1 : 0));
  const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const rawHead = [0x4a];
  writeVarint(rawHead, raw.length);
  return Buffer.concat([Buffer.from(head), nameBytes, Buffer.from(rawHead), raw]);
}

async function main(argv) {
  const ort = loadOrt();
  if (argv[0] === '--check') {
    if (!ort) {
      console.error('onnxruntime-node is not installed (npm install --ignore-scripts onnxruntime-node)');
      return 77;
    }
    return 0;
  }
  if (argv.length < 2) {
    console.error('usage: ort_run.js --check | MODEL.onnx OUT_DIR [input_0.pb ...]');
    return 2;
  }
  if (!ort) {
    console.error('onnxruntime-node is not installed');
    return 77;
  }
  const [model, outDir, ...inputFiles] = argv;
  const session = await ort.InferenceSession.create(model);
  const inputs = inputFiles.map((f) => parseTensorProto(fs.readFileSync(f)));
  const feeds = {};
  const names = session.inputNames;
  if (inputs.length === names.length) {
    inputs.forEach((t, i) => { feeds[names[i]] = toOrtTensor(ort, t, inputFiles[i]); });
  } else {
    inputs.forEach((t, i) => {
      if (!names.includes(t.name))
        throw new Error(`${inputFiles[i]}: ${inputs.length} inputs for ${names.length} model inputs and no input is named '${t.name}'`);
      feeds[t.name] = toOrtTensor(ort, t, inputFiles[i]);
    });
  }
  const results = await session.run(feeds);
  fs.mkdirSync(outDir, { recursive: true });
  session.outputNames.forEach((name, i) => {
    fs.writeFileSync(path.join(outDir, `output_${i}.pb`), encodeTensorProto(results[name], name));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (rc) => process.exit(rc),
  (e) => {
    console.error('error: ' + (e && e.message ? e.message : e));
    process.exit(1);
  });
