// Plain data, importable from Playwright tests without pulling in the database layer.

/** Local development only; documented in the README. */
export const SEED_PASSWORD = "lectern-local";

// Fixed ids so tests and bookmarks can refer to seeded rows across runs.
export const SEED = {
  users: {
    instructor: { id: "00000000-0000-4000-8000-000000000001", email: "instructor@example.com", name: "Ivy Instructor" },
    editor: { id: "00000000-0000-4000-8000-000000000002", email: "editor@example.com", name: "Eddie Editor" },
    student: { id: "00000000-0000-4000-8000-000000000003", email: "student@example.com", name: "Stu Student" },
    other: { id: "00000000-0000-4000-8000-000000000004", email: "other@example.com", name: "Olive Other" },
    // On no course. The e2e stack lists it in ADMIN_EMAILS (the admin API, the Playwright kit's token); in local
    // development it is an ordinary account unless you put it there too.
    admin: { id: "00000000-0000-4000-8000-000000000005", email: "admin@example.com", name: "Ada Admin" },
  },
  courses: {
    trading: { id: "00000000-0000-4000-8000-000000000101", title: "Trading Fundamentals" },
    options: { id: "00000000-0000-4000-8000-000000000102", title: "Options Basics" },
  },
  lessons: {
    candlesticks: { id: "00000000-0000-4000-8000-000000000201", title: "Candlesticks", position: 1 },
    risk: { id: "00000000-0000-4000-8000-000000000202", title: "Risk management", position: 2 },
  },
} as const;

export type SeedUser = keyof typeof SEED.users;
