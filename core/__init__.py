"""What every part of councilperf rests on: the council's clock, periods, money, policy."""
