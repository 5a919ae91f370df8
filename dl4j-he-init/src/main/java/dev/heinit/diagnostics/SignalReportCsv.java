package dev.heinit.diagnostics;

import java.util.List;

import dev.heinit.internal.text.TextTable;
import dev.heinit.stats.TensorStats;

/** {@link SignalReport#toCsv()}'s rows: one per layer, columns as {@link SignalReport#CSV_HEADER}, numbers as Java prints them. */
final class SignalReportCsv {

    private SignalReportCsv() {}

    static void appendRows(List<LayerSignal> layers, StringBuilder sb, String prefix) {
        for (LayerSignal l : layers) {
            sb.append(prefix)
                    .append(l.index())
                    .append(',')
                    .append(TextTable.csvField(l.name()))
                    .append(',')
                    .append(TextTable.csvField(l.type()))
                    .append(',')
                    .append(TextTable.csvField(l.activationFunction()));
            TensorStats[] ts = {l.preActivation(), l.activation(), l.delta()};
            for (TensorStats t : ts) {
                sb.append(',')
                        .append(t.mean())
                        .append(',')
                        .append(t.std())
                        .append(',')
                        .append(t.secondMoment());
            }
            sb.append(',')
                    .append(l.deadFraction())
                    .append(',')
                    .append(l.saturatedFraction())
                    .append(',')
                    .append(l.nanCount())
                    .append(',')
                    .append(l.infCount())
                    .append(',')
                    .append(l.weightRms())
                    .append(',')
                    .append(l.gradientWeightRms())
                    .append(',')
                    .append(l.gradientBiasRms())
                    .append(',')
                    .append(l.updateRatio())
                    .append(',')
                    .append(l.forwardRatio())
                    .append(',')
                    .append(l.backwardRatio())
                    .append(',')
                    .append(l.cosineRaw())
                    .append(',')
                    .append(l.cosineCentred())
                    .append(',')
                    .append(l.measuredChi())
                    .append(',')
                    .append(l.predictedChi())
                    .append(',')
                    .append(l.preActivationMaxAbs())
                    .append('\n');
        }
    }
}
