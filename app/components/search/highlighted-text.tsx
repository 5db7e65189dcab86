import type { HighlightedText as Pieces } from "@/lib/search/schemas";

/** Search output with the matched words marked (plain text pieces: no HTML from the server). */
export function HighlightedText({ pieces }: { pieces: Pieces }) {
  return (
    <>
      {pieces.map((piece, index) => (piece.match ? <mark key={index}>{piece.text}</mark> : <span key={index}>{piece.text}</span>))}
    </>
  );
}
