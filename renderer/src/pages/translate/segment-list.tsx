import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { TranslatedSegment } from '../../../../main/api/translate-schemas';
import { SegmentRow } from './segment-row';

interface SegmentListProps {
  total: number;
  segments: Map<number, TranslatedSegment>;
  live: { segment: number; text: string } | null;
  srcLang: string;
  tgtLang: string;
}

/**
 * The document's sentences with their outputs and confidences. A file may
 * have thousands: rows are virtualised (measured, since sentences wrap).
 */
export function SegmentList({ total, segments, live, srcLang, tgtLang }: SegmentListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = Math.max(total, segments.size, live ? live.segment + 1 : 0);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => 72, overscan: 6 });
  if (count === 0) return null;
  return (
    <div ref={scrollRef} className="segment-scroll" aria-label="Sentences and their translations">
      <div className="segment-list" role="list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} role="listitem" data-index={item.index} ref={virtualizer.measureElement} className="segment-slot" style={{ transform: `translateY(${item.start}px)` }}>
            <SegmentRow
              index={item.index}
              segment={segments.get(item.index)}
              live={live?.segment === item.index ? live.text : null}
              srcLang={srcLang}
              tgtLang={tgtLang}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
