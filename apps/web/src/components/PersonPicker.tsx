import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Role } from '../../../../libs/domain/src/actor';
import { api, type Schemas } from '../api/client';
import { regionName } from '../regions';

type Person = Schemas['PersonView'];

/** How a person reads in a picker: 张三 · 服务专员 · 宜昌市 / 夷陵区. */
export function personLabel(p: Person): string {
  const regions = p.regions.map(regionName).join('、');
  return [p.name, p.roleLabel, regions].filter(Boolean).join(' · ');
}

export interface PersonPickerProps {
  /** Only people of this role. */
  role?: Exclude<Role, 'system'>;
  /** Only people whose regions cover this one (or lie in it): those who can serve the project. */
  region?: string;
  /** The picked person's id (antd Form passes value, onChange and id). */
  value?: string;
  onChange?: (personId: string | undefined) => void;
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  'aria-label'?: string;
}

/**
 * Picks a person from the directory (GET /api/people), searched by name as the user types and
 * filtered by role and region; the form receives the person's id, the user sees their name.
 */
export function PersonPicker(props: PersonPickerProps) {
  const { role, region } = props;
  const [text, setText] = useState('');
  const [people, setPeople] = useState<Person[]>([]);
  const [loading, setLoading] = useState(false);
  // The picked person stays an option while the user searches for others.
  const picked = useRef<Person | null>(null);

  useEffect(() => {
    let live = true;
    // Typing asks once the user pauses, not at every keystroke.
    const timer = setTimeout(() => {
      setLoading(true);
      void api
        .GET('/api/people', { params: { query: { role, region, q: text.trim() || undefined } } })
        .then(({ data }) => {
          if (!live) return;
          setPeople(data?.items ?? []);
          setLoading(false);
        });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [role, region, text]);

  const options = [...people];
  if (picked.current && !people.some((p) => p.personId === picked.current!.personId)) {
    options.unshift(picked.current);
  }

  return (
    <Select<string>
      id={props.id}
      aria-label={props['aria-label']}
      showSearch
      allowClear={props.allowClear}
      placeholder={props.placeholder ?? '输入姓名搜索'}
      value={props.value}
      filterOption={false}
      onSearch={setText}
      loading={loading}
      notFoundContent={loading ? '正在查找…' : '名录中没有符合条件的人员'}
      onChange={(personId) => {
        picked.current = options.find((p) => p.personId === personId) ?? null;
        props.onChange?.(personId);
      }}
      options={options.map((p) => ({ value: p.personId, label: personLabel(p) }))}
    />
  );
}
