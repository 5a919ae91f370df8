package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.List;

import dev.heinit.internal.text.Json;
import dev.heinit.stats.TensorStats;

/** {@link SignalReport#toJson()}: the report as one JSON object, non-finite numbers as null (format {@value SignalReport#JSON_FORMAT}). */
final class SignalReportJson {

    private SignalReportJson() {}

    static String write(SignalReport r) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"format\":").append(js(SignalReport.JSON_FORMAT));
        sb.append(",\"examples\":").append(r.examples());
        sb.append(",\"loss\":").append(jn(r.loss()));
        sb.append(",\"syntheticLabels\":").append(r.syntheticLabels());
        sb.append(",\"forwardRatio\":").append(jn(r.forwardRatio()));
        sb.append(",\"backwardRatio\":").append(jn(r.backwardRatio()));
        sb.append(",\"ratioFirstLayer\":")
                .append(r.firstRatioLayer().map(l -> js(l.name())).orElse("null"));
        sb.append(",\"ratioLastLayer\":")
                .append(r.lastRatioLayer().map(l -> js(l.name())).orElse("null"));
        sb.append(",\"firstNonFiniteDelta\":")
                .append(r.firstNonFiniteDelta().map(l -> js(l.name())).orElse("null"));
        sb.append(",\"verdicts\":").append(jv(new ArrayList<>(r.verdicts())));
        sb.append(",\"thresholds\":{\"vanishingRatio\":")
                .append(jn(r.thresholds().vanishingRatio()))
                .append(",\"explodingRatio\":")
                .append(jn(r.thresholds().explodingRatio()))
                .append(",\"deadFraction\":")
                .append(jn(r.thresholds().deadFraction()))
                .append(",\"saturatedFraction\":")
                .append(jn(r.thresholds().saturatedFraction()))
                .append(",\"saturationMargin\":")
                .append(jn(r.thresholds().saturationMargin()))
                .append(",\"decorrelationRatio\":")
                .append(jn(r.thresholds().decorrelationRatio()))
                .append(",\"collapsedCosine\":")
                .append(jn(r.thresholds().collapsedCosine()))
                .append('}');
        sb.append(",\"layers\":[");
        for (int i = 0; i < r.layers().size(); i++) {
            LayerSignal l = r.layers().get(i);
            sb.append(i == 0 ? "" : ",").append('{');
            sb.append("\"index\":").append(l.index());
            sb.append(",\"name\":").append(js(l.name()));
            sb.append(",\"type\":").append(js(l.type()));
            sb.append(",\"activationFunction\":").append(js(l.activationFunction()));
            sb.append(",\"output\":").append(l.isOutput());
            sb.append(",\"weighted\":").append(l.isWeighted());
            sb.append(",\"preActivation\":").append(jt(l.preActivation()));
            sb.append(",\"activation\":").append(jt(l.activation()));
            sb.append(",\"delta\":").append(jt(l.delta()));
            sb.append(",\"deadFraction\":").append(jn(l.deadFraction()));
            sb.append(",\"saturatedFraction\":").append(jn(l.saturatedFraction()));
            sb.append(",\"weightRms\":").append(jn(l.weightRms()));
            sb.append(",\"gradientWeightRms\":").append(jn(l.gradientWeightRms()));
            sb.append(",\"gradientBiasRms\":").append(jn(l.gradientBiasRms()));
            sb.append(",\"updateRatio\":").append(jn(l.updateRatio()));
            sb.append(",\"forwardRatio\":").append(jn(l.forwardRatio()));
            sb.append(",\"backwardRatio\":").append(jn(l.backwardRatio()));
            sb.append(",\"positions\":").append(l.positions());
            sb.append(",\"cosineRaw\":").append(jn(l.cosineRaw()));
            sb.append(",\"cosineCentred\":").append(jn(l.cosineCentred()));
            sb.append(",\"chiMeasured\":").append(jn(l.measuredChi()));
            sb.append(",\"chiPredicted\":").append(jn(l.predictedChi()));
            sb.append(",\"preActivationMaxAbs\":").append(jn(l.preActivationMaxAbs()));
            sb.append(",\"nanCount\":").append(l.nanCount());
            sb.append(",\"infCount\":").append(l.infCount());
            sb.append(",\"verdicts\":").append(jv(r.verdictsOf(l)));
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    private static String jt(TensorStats t) {
        return "{\"mean\":" + jn(t.mean()) + ",\"std\":" + jn(t.std()) + ",\"secondMoment\":" + jn(t.secondMoment())
                + ",\"rms\":" + jn(t.rms()) + ",\"count\":" + t.count() + ",\"nanCount\":" + t.nanCount()
                + ",\"infCount\":" + t.infCount() + "}";
    }

    private static String jv(List<Verdict> vs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < vs.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(vs.get(i).name()).append('"');
        }
        return sb.append(']').toString();
    }

    private static String jn(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static String js(String s) {
        return Json.string(s);
    }
}
