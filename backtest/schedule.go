package backtest

import (
	"fmt"

	"github.com/quantloop/quantloop/strategy"
)

// ScheduleSteps parses Strategy.Schedule: nil when it is empty.
func (c *Config) ScheduleSteps() ([]strategy.Step, error) {
	var steps []strategy.Step
	for i, s := range c.Strategy.Schedule {
		st, err := strategy.ParseStep(s)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		if i > 0 && !st.From.After(steps[i-1].From) {
			return nil, fmt.Errorf("entry %d: %s is not after entry %d's %s", i+1, st.From.Format("2006-01-02T15:04:05Z07:00"), i, steps[i-1].From.Format("2006-01-02T15:04:05Z07:00"))
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// NewStrategy makes the strategy of c: the registered strategy
// Strategy.Name (DefaultStrategy when empty) with Strategy.Params or,
// when Strategy.Schedule is given, a strategy.Scheduled that changes its
// params on that schedule.
func (c *Config) NewStrategy() (strategy.Strategy, error) {
	name := c.Strategy.Name
	if name == "" {
		name = DefaultStrategy
	}
	if len(c.Strategy.Schedule) == 0 {
		return strategy.New(name, c.Strategy.Params)
	}
	steps, err := c.ScheduleSteps()
	if err != nil {
		return nil, fmt.Errorf("strategy.schedule: %w", err)
	}
	s, err := strategy.NewScheduled(name, c.Strategy.Params, steps)
	if err != nil {
		return nil, fmt.Errorf("strategy.schedule: %w", err)
	}
	return s, nil
}
