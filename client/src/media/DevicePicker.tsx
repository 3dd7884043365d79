export interface DevicePickerProps {
  label: string;
  devices: readonly MediaDeviceInfo[];
  value: string;
  /** The first option: "Default" on the check page, a prompt once video runs. */
  placeholder: { label: string; disabled?: boolean };
  onChange(deviceId: string): void;
  className?: string;
}

/** A labelled choice of camera or microphone; shows nothing when there is nothing to choose. */
export function DevicePicker({ label, devices, value, placeholder, onChange, className }: DevicePickerProps) {
  if (devices.length === 0) return null;
  return (
    <label className={className}>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="" disabled={placeholder.disabled}>
          {placeholder.label}
        </option>
        {devices.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}
