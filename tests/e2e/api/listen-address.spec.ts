import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { expect, test } from "@playwright/test";

/** Resolves to "connected" or the connection error's code. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve("ETIMEDOUT");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

test("the e2e server listens on 127.0.0.1 only, not on the machine's network addresses", async ({ baseURL }) => {
  const port = Number(new URL(baseURL ?? "").port);
  expect(await tryConnect("127.0.0.1", port)).toBe("connected");
  const external = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address && !address.internal && address.family === "IPv4")
    .map((address) => address?.address ?? "");
  test.skip(external.length === 0, "this machine has no network address besides loopback");
  for (const address of external) expect(await tryConnect(address, port), address).toBe("ECONNREFUSED");
});
