namespace StreamingBeam;

/// <summary>Which prompt dimension each beam-search iteration after the first refines.</summary>
public enum DimensionSchedule
{
    /// <summary>Odd iterations refine <see cref="PromptDimension.What"/>, even ones <see cref="PromptDimension.How"/>: content first, then style.</summary>
    WhatFirst = 0,

    /// <summary>Odd iterations refine <see cref="PromptDimension.How"/>, even ones <see cref="PromptDimension.What"/>: style first, then content.</summary>
    HowFirst = 1,
}
