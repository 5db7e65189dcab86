import Link from "next/link";

export default function NotFound() {
  return (
    <section className="card empty">
      <h1>Not found</h1>
      <p>This page does not exist, or you do not have access to it.</p>
      <Link href="/courses">Back to my courses</Link>
    </section>
  );
}
