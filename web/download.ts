/** Offer a value to the user as a JSON file download (a verdict, a protocol export). */
export function downloadJson(filename: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  // revoked after the click has started the download
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
