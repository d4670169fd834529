#!/usr/bin/env python3
"""A synthetic Daylio CSV backup with 1,100 daily check-ins (12-hour times), for bench/portability."""
import datetime
import random

random.seed(7)
rows = ["full_date,date,weekday,time,mood,activities,note_title,note"]
start = datetime.date(2023, 11, 1)
labels = ["rad", "good", "meh", "bad", "awful"]
activities = ["work", "walk", "friends", "reading", "family", "sleep early"]
for i in range(1100):
    day = start - datetime.timedelta(days=i)
    rows.append(
        f"{day.isoformat()},{day.strftime('%B %d')},{day.strftime('%A')},{1 + i % 12}:{(i * 7) % 60:02d} "
        f"{'am' if i % 2 else 'pm'},{labels[i % 5]},{' | '.join(random.sample(activities, 2))},,"
        f"Note {i}: a quiet day with some ups and downs"
    )
print("\n".join(rows))
