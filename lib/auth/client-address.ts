import { isIP } from "node:net";

/**
 * The client's address for the sign-in throttle, from the request headers.
 *
 * Behind a reverse proxy (`AUTH_TRUST_HOST=true`) it is the right-most X-Forwarded-For entry: the address that
 * connected to the proxy, appended by the proxy itself (entries left of it are whatever the client claimed). Without
 * a trusted proxy there is no address to trust: Next.js fills X-Forwarded-For from the socket only when the client
 * sent none, so a client could name any address (and get someone else throttled). Then only the per-account limit
 * applies. IPv6 addresses count per /64, the block one subscriber usually gets.
 */
export function clientAddress(headers: Headers, { trustProxy }: { trustProxy: boolean }): string | undefined {
  if (!trustProxy) return undefined;
  const forwarded = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  const candidate = forwarded || headers.get("x-real-ip")?.trim();
  return candidate ? normaliseAddress(candidate) : undefined;
}

export function normaliseAddress(address: string): string | undefined {
  const bare = address.replace(/^\[(.*)\](:\d+)?$/, "$1").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1]) return mapped[1];
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version !== 6) return undefined;
  return `${expandIpv6(bare).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") && tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return groups.map((group) => group.replace(/^0+(?=.)/, ""));
}
