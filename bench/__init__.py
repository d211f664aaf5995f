def print_table(rows: list[tuple[str, str]]) -> None:
    """The benchmark's figures as a two-column table."""
    width = max(len(name) for name, _ in rows)
    print(f"\n{'measure':<{width}}  result")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
