import type { Detector, ScanContext } from '../detectors/detector.ts';
import { SpanList } from './span-list.ts';
import { TextFeatures } from './text-features.ts';

/**
 * Runs a profile's detectors over one text and leaves the resolved, non-overlapping spans in
 * {@link spans}. One scanner is reused for every cell: scanning is synchronous, and the span list
 * and character counts are overwritten by the next call, so nothing is allocated per clean cell.
 */
export class TextScanner {
  /** Spans of the last scan (valid until the next call). */
  readonly spans = new SpanList();
  private readonly features = new TextFeatures();

  constructor(
    private readonly textDetectors: readonly Detector[],
    private readonly numberDetectors: readonly Detector[],
  ) {}

  /** Scans free text; returns the number of spans found. */
  scan(text: string, context: ScanContext): number {
    return this.run(this.textDetectors, text, context);
  }

  /** Scans a digits-only value (a computed number column, a JSON number). */
  scanNumber(text: string, context: ScanContext): number {
    return this.run(this.numberDetectors, text, context);
  }

  private run(detectors: readonly Detector[], text: string, context: ScanContext): number {
    const spans = this.spans;
    spans.clear();
    if (text.length === 0) return 0;
    const features = this.features.measure(text);
    for (let i = 0; i < detectors.length; i++) detectors[i]!.detect(text, features, context, spans);
    spans.resolve();
    return spans.length;
  }
}
