"""Make a realistic database of many reviews quickly (seconds, not minutes), for benchmarks.

    python bench/generate.py DATA_DIR [--reviews 10000] [--employees 50]

Reviews are spread over employees and school years, mostly finalized, with ratings for every
applicable competency and comments of realistic length. Rows go in through the real schema (the
store creates it) in one transaction with executemany, which is what makes it fast.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpf_desktop.framework import load_framework  # noqa: E402
from cpf_desktop.integrity import content_hash  # noqa: E402
from cpf_desktop.review import Employee, Person, Rating, Review  # noqa: E402
from cpf_desktop.storage import open_store  # noqa: E402
from cpf_desktop.storage.reviews import _header_row  # noqa: E402  (bench only: the store's own row shape)

FIRST = ["Rosa", "Daniel", "Ana", "José", "Lê", "Armen", "Min-jun", "Wei", "Olga", "Maria", "Tala", "Samuel"]
LAST = ["Martínez", "Kim", "López", "Nguyễn", "Petrosyan", "Wang", "Ivanova", "Reyes", "Santos", "Johnson"]
JOBS = ["Custodian", "Plant Manager II", "Office Technician", "Cafeteria Worker", "School Bus Driver",
        "Computer Support Assistant", "Senior Office Assistant", "Building and Grounds Worker"]
SITES = ["Roosevelt High School", "Garfield High School", "Belmont High School", "Dorsey High School",
         "Hollywood High School", "Lincoln Middle School", "Hoover Elementary School"]
WORDS = ("consistently arrives early and keeps the campus clean safe and welcoming for students and staff "
         "communicates clearly with teachers and the office responds to requests the same day").split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_reviews(count: int, employees: int, seed: int = 7) -> list[Review]:
    rng = random.Random(seed)
    framework = load_framework()
    people = [
        Employee(f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}", f"{100000 + i}", rng.choice(JOBS), rng.choice(SITES))
        for i in range(employees)
    ]
    stamp = datetime(2026, 6, 30, 16, 0).astimezone()
    reviews = []
    for n in range(count):
        employee = people[n % employees]
        year = 2026 - (n // employees) % 25
        supervisory = "Manager" in employee.classification
        ratings = {}
        for comp in framework.competencies():
            if comp.cluster_id == "leadership" and not supervisory:
                continue
            level = rng.choice(("developing", "effective", "effective", "highly_effective"))
            ratings[comp.id] = Rating(level, level != "developing" and rng.random() < 0.2, sentence(rng, rng.randint(5, 30)))
        review = Review(
            employee=employee, rater=Person("Daniel Kim", "Principal"), review_type=rng.choice(("annual", "annual", "probationary", "interim")),
            period_start=date(year - 1, 7, 1), period_end=date(year, 6, 30), supervisory=supervisory, ratings=ratings,
            overall=Rating("effective", False, sentence(rng, 40)), strengths=sentence(rng, 30), goals=sentence(rng, 20),
        )
        if rng.random() < 0.9:
            review.status, review.finalized_at, review.framework_version = "final", stamp - timedelta(days=n), framework.version
            review.content_hash = content_hash(review)
        reviews.append(review)
    return reviews


def fill(folder: Path, count: int, employees: int) -> float:
    """Write ``count`` reviews into the data folder's database; return the seconds it took."""
    started = time.perf_counter()
    store = open_store(folder)
    reviews = make_reviews(count, employees)
    now = datetime.now().astimezone().replace(microsecond=0).isoformat()
    first = _header_row(reviews[0])
    columns = [*first, "created_at", "updated_at"]
    with store.db.atomic():
        start_id = (store.db.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0]) + 1
        rows, rating_rows = [], []
        for offset, review in enumerate(reviews):
            row = _header_row(review)
            rows.append([start_id + offset, *row.values(), now, now])
            rating_rows += [(start_id + offset, cid, r.level, int(r.plus), r.comment) for cid, r in review.ratings.items()]
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        # Ratings go in first: the triggers refuse rows for a review that is already final.
        store.db.execute("PRAGMA defer_foreign_keys = ON")
        store.db.conn.executemany(
            "INSERT INTO ratings (review_id, competency_id, level, plus, comment) VALUES (?, ?, ?, ?, ?)", rating_rows)
        store.db.conn.executemany(f"INSERT INTO reviews (id, {', '.join(columns)}) VALUES ({marks})", rows)
    store.close()
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--employees", type=int, default=50)
    args = parser.parse_args(argv)
    seconds = fill(args.data_dir, args.reviews, args.employees)
    print(f"{args.reviews} reviews for {args.employees} employees written to {args.data_dir} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
