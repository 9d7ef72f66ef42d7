// Loads a DICOM SEG through the import path of the OHIF viewer (@cornerstonejs/adapters,
// Cornerstone3D.Segmentation.createFromDICOMSegBuffer) in plain Node, given the source images.
//
// Usage: node ohif-seg-import.mjs SEG SOURCE...   (sources in the order the caller indexes slices)
// Prints JSON: per source image the number of labelled voxels, the SHA-256 of all label maps
// concatenated as bytes, the segment numbers found, and the warnings the adapter logged.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as core from '@cornerstonejs/core';
import { adaptersSEG } from '@cornerstonejs/adapters';
import dcmjs from 'dcmjs';

const [segPath, ...sourcePaths] = process.argv.slice(2);
const warnings = [];
for (const level of ['warn', 'error']) {
  const original = console[level];
  console[level] = (...args) => { warnings.push(args.map(String).join(' ')); original.apply(console, args); };
}

function readDataset(path) {
  const bytes = readFileSync(path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const dicom = dcmjs.data.DicomMessage.readFile(buffer);
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dicom.dict);
}

const instances = new Map();
const imageIds = sourcePaths.map((path, index) => {
  const imageId = `ich:${index}`;
  const dataset = readDataset(path);
  delete dataset.PixelData;
  instances.set(imageId, dataset);
  return imageId;
});

function modules(type, imageId) {
  const ds = instances.get(imageId);
  if (!ds) return undefined;
  const iop = ds.ImageOrientationPatient.map(Number);
  switch (type) {
    case 'instance': return ds;
    case 'imagePlaneModule': return {
      frameOfReferenceUID: ds.FrameOfReferenceUID,
      rows: ds.Rows,
      columns: ds.Columns,
      imageOrientationPatient: iop,
      rowCosines: iop.slice(0, 3),
      columnCosines: iop.slice(3, 6),
      imagePositionPatient: ds.ImagePositionPatient.map(Number),
      pixelSpacing: ds.PixelSpacing.map(Number),
      rowPixelSpacing: Number(ds.PixelSpacing[0]),
      columnPixelSpacing: Number(ds.PixelSpacing[1]),
      sliceThickness: Number(ds.SliceThickness),
    };
    case 'generalSeriesModule': return { seriesInstanceUID: ds.SeriesInstanceUID, modality: ds.Modality, studyInstanceUID: ds.StudyInstanceUID };
    case 'generalImageModule': return { sopInstanceUID: ds.SOPInstanceUID, instanceNumber: Number(ds.InstanceNumber) };
    case 'sopCommonModule': return { sopClassUID: ds.SOPClassUID, sopInstanceUID: ds.SOPInstanceUID };
    case 'imagePixelModule': return {
      samplesPerPixel: ds.SamplesPerPixel, photometricInterpretation: ds.PhotometricInterpretation, rows: ds.Rows, columns: ds.Columns,
      bitsAllocated: ds.BitsAllocated, bitsStored: ds.BitsStored, highBit: ds.HighBit, pixelRepresentation: ds.PixelRepresentation,
    };
    default: return undefined;
  }
}

core.metaData.addProvider(modules, 10000);
const metadataProvider = { get: (type, imageId) => core.metaData.get(type, imageId) };

const segBytes = readFileSync(segPath);
const segBuffer = segBytes.buffer.slice(segBytes.byteOffset, segBytes.byteOffset + segBytes.byteLength);
const result = await adaptersSEG.Cornerstone3D.Segmentation.createFromDICOMSegBuffer(imageIds, segBuffer, { metadataProvider });

const hash = createHash('sha256');
const counts = [];
const segments = new Set();
const labelMapImages = Array.isArray(result.labelMapImages[0]) ? result.labelMapImages[0] : result.labelMapImages;
for (const image of labelMapImages) {
  const data = image.voxelManager ? image.voxelManager.getScalarData() : image.getPixelData();
  const bytes = Uint8Array.from(data);
  let count = 0;
  for (const value of bytes) {
    if (value !== 0) { count++; segments.add(value); }
  }
  counts.push(count);
  hash.update(bytes);
}

console.log(JSON.stringify({ counts, sha256: hash.digest('hex'), segments: [...segments].sort(), warnings }));
