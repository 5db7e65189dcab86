import { useId } from "react";
import { formatDuration } from "@/app/components/upload/format";
import type { ChapterInput } from "@/lib/captions/chapters";
import { percent, retentionAt, retentionSummary, retentionTenths } from "./retention";

type Props = { retention: readonly number[]; durationSeconds: number; chapters: readonly ChapterInput[] };

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 16, bottom: 34, left: 44 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

const x = (share: number) => PAD.left + share * PLOT_W;
const y = (value: number) => PAD.top + (1 - value) * PLOT_H;

/**
 * The retention curve: the share of viewers who watched each 1 % of the video, drawn as an SVG line (an image with
 * a title and a summary for screen readers), with a mark at each chapter's start, and the same figures as tables
 * (per tenth of the video, and at each chapter) for anyone who cannot see the chart.
 */
export function RetentionChart({ retention, durationSeconds, chapters }: Props) {
  const id = useId();
  const points = retention.map((value, index) => `${x((index + 0.5) / retention.length).toFixed(1)},${y(value).toFixed(1)}`);
  const line = `M${points.join(" L")}`;
  const area = `${line} L${x((retention.length - 0.5) / retention.length).toFixed(1)},${y(0)} L${x(0.5 / retention.length).toFixed(1)},${y(0)} Z`;
  const marks = chapters.filter((chapter) => chapter.startSeconds > 0 && chapter.startSeconds < durationSeconds);
  const tenths = retentionTenths(retention, durationSeconds);
  return (
    <figure className="retention">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} className="retention-chart" data-points={retention.length}>
        <title id={`${id}-title`}>Retention curve</title>
        <desc id={`${id}-desc`}>{retentionSummary(retention, durationSeconds, marks.length)}</desc>
        {[0, 0.5, 1].map((tick) => (
          <g key={tick} aria-hidden="true">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="retention-grid" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" className="retention-label">
              {percent(tick)}
            </text>
          </g>
        ))}
        {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
          <text key={tick} x={x(tick)} y={HEIGHT - PAD.bottom + 18} textAnchor={tick === 0 ? "start" : tick === 1 ? "end" : "middle"} className="retention-label" aria-hidden="true">
            {formatDuration(tick * durationSeconds)}
          </text>
        ))}
        <path d={area} className="retention-area" aria-hidden="true" />
        <path d={line} className="retention-line" data-testid="retention-line" aria-hidden="true" />
        {marks.map((chapter) => (
          <g key={chapter.startSeconds} className="retention-chapter" data-testid="chapter-mark">
            <title>{`Chapter “${chapter.title}” at ${formatDuration(chapter.startSeconds)}`}</title>
            <line x1={x(chapter.startSeconds / durationSeconds)} x2={x(chapter.startSeconds / durationSeconds)} y1={PAD.top} y2={HEIGHT - PAD.bottom} />
          </g>
        ))}
      </svg>
      <figcaption className="muted">Share of viewers who watched each part of the video{marks.length > 0 ? "; lines mark the chapters" : ""}.</figcaption>
      <details>
        <summary>Retention as a table</summary>
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Share of viewers who watched each tenth of the video</caption>
            <thead>
              <tr>
                <th scope="col">Part of the video</th>
                <th scope="col">Viewers who watched it</th>
              </tr>
            </thead>
            <tbody>
              {tenths.map((tenth) => (
                <tr key={tenth.label}>
                  <th scope="row">{tenth.label}</th>
                  <td>{percent(tenth.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {chapters.length > 0 ? (
            <table className="data-table">
              <caption>Viewers at each chapter&apos;s start</caption>
              <thead>
                <tr>
                  <th scope="col">Chapter</th>
                  <th scope="col">Starts at</th>
                  <th scope="col">Viewers</th>
                </tr>
              </thead>
              <tbody>
                {chapters.map((chapter) => (
                  <tr key={chapter.startSeconds}>
                    <th scope="row">{chapter.title}</th>
                    <td>{formatDuration(chapter.startSeconds)}</td>
                    <td>{percent(retentionAt(retention, chapter.startSeconds / durationSeconds))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      </details>
    </figure>
  );
}
