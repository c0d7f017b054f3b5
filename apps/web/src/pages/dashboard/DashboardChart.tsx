import { BarChart, FunnelChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the dashboard draws, so that the rest of ECharts stays out of the bundle.
echarts.use([
  BarChart,
  FunnelChart,
  PieChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

// The option is assembled per chart; ECharts checks it at run time.
export type DashboardChartOption = echarts.EChartsCoreOption;

/**
 * A chart whose every bar or slice carries the 台账 filter of what it counts (`filter` in its data
 * item): a click opens that list. The drawing is hidden from assistive technology; the page gives
 * the same figures as links beside it.
 */
export default function DashboardChart({
  option,
  height,
  testId,
  onOpen,
}: {
  option: DashboardChartOption;
  height: number;
  testId: string;
  onOpen: (filter: string) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const open = useRef(onOpen);
  open.current = onOpen;

  useEffect(() => {
    const div = element.current;
    if (!div) return;
    const instance = echarts.init(div, undefined, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (params) => {
      const data = params.data as { filter?: string } | null | undefined;
      if (data && typeof data.filter === 'string') open.current(data.filter);
    });
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(div);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  return (
    <div
      ref={element}
      style={{ width: '100%', height, cursor: 'pointer' }}
      aria-hidden="true"
      data-testid={testId}
    />
  );
}
