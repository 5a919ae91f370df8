package dev.heinit.prognosis;

/** What a {@link Prognosis} expects of a training run within its budget. */
public enum Prediction {
    /** The loss falls and the network learns within the budget. */
    TRAINS,
    /** The loss stays near its initial value (vanishing or collapsing signal): the run ends at chance. */
    STALLS,
    /** The loss or the parameters become non-finite. */
    DIVERGES,
    /** The probe's signals disagree or sit on a threshold; counted as a miss when judged. */
    UNSURE
}
