import { expect, test } from "@lectern/playwright";

test("a lecture uploads and plays", async ({ page, lectern }) => {
  const course = await lectern.course();
  const video = await lectern.upload({ file: await lectern.video({ seconds: 10 }), course, title: "Intro", via: "ui", page });
  await lectern.waitFor(video, "playable");
});

test("an upload whose parts storage refuses at first still completes", async ({ lectern }) => {
  const course = await lectern.course({ lessons: ["Week 1"] });
  await lectern.faults.next({ kind: "status", status: 503, count: 2 });
  const video = await lectern.upload({ file: await lectern.video({ seconds: 4 }), course, lesson: "Week 1", title: "Retried", via: "api" });
  expect(await lectern.faults.remaining()).toBe(0);
  expect((await lectern.waitFor(video, "ready")).status).toBe("ready");
});

test("a viewer watches but cannot see the upload controls", async ({ page, lectern, library, player }) => {
  const course = await lectern.course({ members: ["instructor", "viewer"] });
  const video = await lectern.upload({ file: await lectern.video({ seconds: 4, audio: false }), course, title: "For viewers", via: "api" });
  await lectern.waitFor(video, "playable");

  await lectern.signIn(page, course.member("viewer"));
  await library.goto(course.id);
  await expect(library.video("For viewers")).toBeVisible();
  await expect(library.uploadControls).toHaveCount(0);
  await library.open("For viewers");
  await player.play();
  expect(await player.currentTime()).toBeGreaterThan(0);
});
