"""The scales of bench data (sizes per partnership), the known bench logins and the
constants every generator shares."""

from __future__ import annotations

from dataclasses import dataclass, field

BATCH = 2000
BENCH_PASSWORD = "bench-password-not-secret"  # fictional bench accounts only
BENCH_DOMAIN = "bench.example"
SLUG_PREFIX = "bench-"

# The known benchmark logins: key -> (e-mail, name, partnership role, agency-bound?).
# All of them hold their role in the first bench partnership, in its first agency.
BENCH_PEOPLE: dict[str, tuple[str, str, str, bool]] = {
    "bu": (f"bench-bu@{BENCH_DOMAIN}", "Bench Business Unit", "business_unit", False),
    "chair": (f"bench-chair@{BENCH_DOMAIN}", "Bench Chair", "chair", False),
    "board": (f"bench-board@{BENCH_DOMAIN}", "Bench Board Member", "board_member", False),
    "lead": (f"bench-lead@{BENCH_DOMAIN}", "Bench Safeguarding Lead", "safeguarding_lead", True),
    "auditor": (f"bench-auditor@{BENCH_DOMAIN}", "Bench Auditor", "auditor", True),
    "trainer": (f"bench-trainer@{BENCH_DOMAIN}", "Bench Trainer", "trainer", False),
    "learner": (f"bench-learner@{BENCH_DOMAIN}", "Bench Learner", "learner", True),
    "cdop": (f"bench-cdop@{BENCH_DOMAIN}", "Bench CDOP Coordinator", "cdop_coordinator", False),
}


@dataclass(frozen=True)
class Scale:
    """Sizes per partnership (areas read `per_partnership[...]` for their own counts)."""

    name: str
    partnerships: int
    agencies: int
    people: int
    actions: int
    per_partnership: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, default: int = 0) -> int:
        return self.per_partnership.get(key, default)


# National: 150 partnerships x 33 agencies ~ 5,000; x 1,333 people ~ 200,000;
# x 2,000 actions = 300,000; the per-partnership figures below match the totals.
SCALES: dict[str, Scale] = {
    "smoke": Scale(
        "smoke",
        partnerships=2,
        agencies=6,
        people=40,
        actions=30,
        per_partnership={
            "training_attendances": 40,
            "reviews": 3,
            "dataset_values": 60,
            "audits": 2,
            "section11_returns": 4,
            "child_death_reviews": 3,
            "meetings_per_board": 3,
        },
    ),
    "partnership": Scale(
        "partnership",
        partnerships=1,
        agencies=40,
        people=2000,
        actions=3000,
        per_partnership={
            "training_attendances": 7000,
            "reviews": 130,
            "dataset_values": 33000,
            "audits": 65,
            "section11_returns": 40,
            "child_death_reviews": 55,
            "meetings_per_board": 24,
        },
    ),
    "national": Scale(
        "national",
        partnerships=150,
        agencies=33,
        people=1333,
        actions=2000,
        per_partnership={
            "training_attendances": 6667,
            "reviews": 133,
            "dataset_values": 33333,
            "audits": 67,
            "section11_returns": 40,
            "child_death_reviews": 53,
            "meetings_per_board": 24,
        },
    ),
}
